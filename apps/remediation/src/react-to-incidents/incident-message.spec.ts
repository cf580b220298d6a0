import { randomUUID } from 'node:crypto';
import { IncidentMessageSchema } from './incident-message';

const INCIDENT = '0b5a3a4e-6f7d-4c1e-9a55-3a9c1d2e4f60';

describe('incident events as remediation reads them', () => {
  it('reads an opening: the incident from the stream id, the event time and the severity', () => {
    expect(IncidentMessageSchema.parse(envelope('IncidentOpened', opened({ at: '2025-12-24T16:35:00+02:00', severity: 'SEV-2' })))).toMatchObject({
      kind: 'opened', incidentId: INCIDENT, at: '2025-12-24T14:35:00.000Z', severity: 'SEV-2',
    });
  });

  it('reads a severity change with both severities, an acknowledgement and a resolution', () => {
    expect(IncidentMessageSchema.parse(envelope('SeverityChanged', { at: '2025-12-24T14:35:00Z', from: 'SEV-3', to: 'SEV-1', reason: 'r', basis: BASIS, actor: 'correlation' }))).toMatchObject({ kind: 'severity-changed', from: 'SEV-3', to: 'SEV-1' });
    expect(IncidentMessageSchema.parse(envelope('IncidentAcknowledged', { at: '2025-12-24T14:35:00Z', actor: 'a' }))).toMatchObject({ kind: 'acknowledged' });
    expect(IncidentMessageSchema.parse(envelope('IncidentResolved', { at: '2025-12-24T14:35:00Z', reason: 'quiet', basis: BASIS, actor: 'correlation' }))).toMatchObject({ kind: 'resolved' });
  });

  it('passes over the events it does not act on without reading their payload', () => {
    expect(IncidentMessageSchema.parse(envelope('SignalAttached', { nonsense: true }))).toMatchObject({ kind: 'other' });
    expect(IncidentMessageSchema.parse(envelope('IncidentEscalated', {}))).toMatchObject({ kind: 'other' });
  });

  it('refuses a malformed event it acts on, naming the field, so it goes to the dead letters instead of being retried', () => {
    const result = IncidentMessageSchema.safeParse(envelope('IncidentOpened', opened({ at: 'yesterday', severity: 'SEV-9' })));
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['payload.at', 'payload.severity']);
  });

  it('holds an event it acts on to its whole contract, not only the fields it reads', () => {
    const { basis: _basis, ...withoutBasis } = opened({});
    expect(IncidentMessageSchema.safeParse(envelope('IncidentOpened', withoutBasis)).error?.issues.map((i) => i.path.join('.'))).toEqual(['payload.basis']);
    expect(IncidentMessageSchema.safeParse(envelope('IncidentAcknowledged', { at: '2025-12-24T14:35:00Z', actor: 'a', by: 'b' })).error?.issues[0].message).toMatch(/by/);
    expect(IncidentMessageSchema.safeParse({ ...envelope('IncidentAcknowledged', { at: '2025-12-24T14:35:00Z', actor: 'a' }), schemaVersion: 2 }).error?.issues[0]).toMatchObject({ path: ['schemaVersion'] });
  });
});

const BASIS = { rule: 'r', policyVersion: 'p', inputs: {} };

function opened(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    incidentId: INCIDENT, at: '2025-12-24T14:35:00Z', fingerprint: 'api|-|timeout', incidentType: 'timeout', source: 'api', title: 't', severity: 'SEV-2', basis: BASIS,
    classification: { type: 'timeout', fingerprint: 'api|-|timeout', source: 'api', ruleId: 'timeout', ruleSetVersion: 'classifier-rules/v1' },
    ...fields,
  };
}

function envelope(type: string, payload: Record<string, unknown>) {
  return {
    id: randomUUID(), streamId: `incident-${INCIDENT}`, streamVersion: 1, globalPosition: '1', type, schemaVersion: 1,
    occurredAt: '2025-12-24T14:35:00.000Z', recordedAt: '2025-12-24T14:35:00.100Z', payload, metadata: {},
  };
}
