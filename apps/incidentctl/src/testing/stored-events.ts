import { randomUUID } from 'node:crypto';
import { GENESIS_HASH, type StoredEvent, eventHash } from '@incident/event-store';
import type { IncidentEvent } from '@incident/incident-domain';

export const T0 = '2025-03-01T10:00:00.000Z';

export function minutesAfter(base: string, minutes: number): string {
  return new Date(Date.parse(base) + minutes * 60_000).toISOString();
}

type OpenedData = Extract<IncidentEvent, { type: 'IncidentOpened' }>['data'];

/** Literal incident events, shaped as correlation writes them. */
export const incidentEvents = {
  opened: (incidentId: string, overrides: Partial<OpenedData> = {}): IncidentEvent => ({
    type: 'IncidentOpened',
    data: {
      incidentId, at: T0, fingerprint: 'checkout|payment|timeout', incidentType: 'timeout', source: 'checkout', title: 'timeout in checkout/payment',
      severity: 'SEV-3',
      basis: { rule: 'open.failure-count', policyVersion: 'correlation-policy/v1', inputs: { failuresInWindow: 10, windowMs: 300000 } },
      classification: { type: 'timeout', fingerprint: 'checkout|payment|timeout', source: 'checkout', ruleId: 'timeout.etimedout', ruleSetVersion: 'classifier-rules/v1' },
      ...overrides,
    },
  }),
  signal: (at: string, userId?: string): IncidentEvent => ({
    type: 'SignalAttached',
    data: { signalId: randomUUID(), at, bucket: `${at.slice(0, 15)}0:00.000Z`, level: 'ERROR', component: 'payment', errorCode: 'ETIMEDOUT', ...(userId ? { userId } : {}) },
  }),
  severityChanged: (at: string, from: 'SEV-3' | 'SEV-2', to: 'SEV-2' | 'SEV-1'): IncidentEvent => ({
    type: 'SeverityChanged',
    data: { at, from, to, reason: 'major degradation: 62.0% error rate', actor: 'correlation', basis: { rule: 'severity.major-degradation', policyVersion: 'correlation-policy/v1', inputs: { errorRate: 0.62 } } },
  }),
  resolved: (at: string): IncidentEvent => ({
    type: 'IncidentResolved',
    data: { at, reason: 'no signal for 30 minutes', actor: 'correlation', basis: { rule: 'resolve.quiet-period', policyVersion: 'correlation-policy/v1', inputs: { lastSeenAt: at } } },
  }),
};

/** A stream as the log would hand it back, hash chain included, for specs that need no database. */
export function storedStream(streamId: string, events: readonly IncidentEvent[]): StoredEvent[] {
  let prev = GENESIS_HASH;
  return events.map((e, i) => {
    const fields = { id: randomUUID(), streamId, streamVersion: i + 1, type: e.type, schemaVersion: 1, occurredAt: new Date(e.data.at), payload: { ...e.data } as Record<string, unknown>, metadata: { actor: 'correlation' } };
    prev = eventHash(prev, fields);
    return { ...fields, globalPosition: String(100 + i), transactionId: String(900 + i), recordedAt: new Date(Date.parse(e.data.at) + 5), hash: prev };
  });
}
