import type { StoredEvent } from '@incident/event-store';
import { initialIncident, type IncidentEvent } from '@incident/incident-domain';
import { foldIncidentEvents } from './folded-streams';
import { incidentRow } from './incidents-read-model';

const T0 = '2026-03-01T10:00:00.000Z';
const DUE = '2026-03-01T10:30:00.000Z';

describe('an incident folded from its stream', () => {
  it('remembers the timer event that set the pending resolve timer, the cause of its firing', () => {
    const folded = foldIncidentEvents({ state: initialIncident, version: 0 }, [stored(1, opened()), stored(2, scheduled(), 'timer-event')]);
    expect(folded.version).toBe(2);
    expect(folded.timer).toEqual({ eventId: id('timer-event'), metadata: { correlationId: 'req-1' } });
    expect(folded.state).toMatchObject({ status: 'open', resolveTimerDueAt: DUE });
  });

  it('moves the version past event types it does not decide, leaving the state alone', () => {
    const base = foldIncidentEvents({ state: initialIncident, version: 0 }, [stored(1, opened())]);
    const folded = foldIncidentEvents(base, [{ ...stored(2, scheduled()), type: 'PostmortemDrafted' }]);
    expect(folded.version).toBe(2);
    expect(folded.state).toBe(base.state);
  });

  it('refuses to fold over a gap, which would decide on a state the log never had', () => {
    expect(() => foldIncidentEvents({ state: initialIncident, version: 0 }, [stored(2, opened())])).toThrow(/expected version 1 next, read 2/);
  });
});

describe('the read-model row of an incident', () => {
  it('holds an open incident with the due time of its resolve timer', () => {
    const { state } = foldIncidentEvents({ state: initialIncident, version: 0 }, [stored(1, opened()), stored(2, scheduled())]);
    expect(incidentRow(state, 2)).toEqual({ incidentId: 'inc-1', fingerprint: 'checkout|-|rate_limit', source: 'checkout', status: 'open', resolveDueAt: DUE, streamVersion: 2 });
  });

  it('holds no due time once the incident resolved, so no timer fires for it', () => {
    const resolved: IncidentEvent = { type: 'IncidentResolved', data: { at: DUE, reason: 'quiet', actor: 'correlation', basis: { rule: 'resolve.quiet-period', policyVersion: 'p/v1', inputs: {} } } };
    const { state } = foldIncidentEvents({ state: initialIncident, version: 0 }, [stored(1, opened()), stored(2, scheduled()), stored(3, resolved)]);
    expect(incidentRow(state, 3)).toMatchObject({ status: 'resolved', resolveDueAt: null });
  });

  it('has no row before the incident opened', () => {
    expect(incidentRow(initialIncident, 0)).toBeUndefined();
  });
});

function opened(): IncidentEvent {
  return {
    type: 'IncidentOpened',
    data: {
      incidentId: 'inc-1', at: T0, fingerprint: 'checkout|-|rate_limit', incidentType: 'rate_limit', source: 'checkout', title: 'rate_limit in checkout', severity: 'SEV-3',
      basis: { rule: 'open.fatal', policyVersion: 'p/v1', inputs: {} },
      classification: { type: 'rate_limit', fingerprint: 'checkout|-|rate_limit', source: 'checkout', ruleId: 'rate-limit.http-429', ruleSetVersion: 'classifier-rules/v1' },
    },
  };
}

function scheduled(): IncidentEvent {
  return { type: 'ResolveTimerScheduled', data: { at: T0, dueAt: DUE, policyVersion: 'p/v1' } };
}

function id(name: string): string {
  const hex = Buffer.from(name.padEnd(16, '.')).toString('hex').slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function stored(version: number, event: IncidentEvent, name = `event-${version}`): StoredEvent {
  const at = new Date(T0);
  return {
    id: id(name), type: event.type, schemaVersion: 1, occurredAt: at, payload: { ...event.data }, metadata: { correlationId: 'req-1' },
    streamId: 'incident-inc-1', streamVersion: version, globalPosition: String(version), transactionId: '1', recordedAt: at, hash: '0'.repeat(64),
  };
}
