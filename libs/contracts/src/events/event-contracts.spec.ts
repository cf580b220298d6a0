import { randomUUID } from 'node:crypto';
import { ContractEnvelopeSchema, EVENT_CONTRACTS, latestEventContract } from './event-contracts';
import { PAYLOAD_UPCASTS } from './upcasts';

const envelope = (type: string, schemaVersion: number, payload: Record<string, unknown>) => ({
  id: randomUUID(), streamId: 'incident-3f0c8a52-6d1e-4b7a-9c2d-1e5f7a9b0c3d', streamVersion: 3, globalPosition: '42', type, schemaVersion,
  occurredAt: '2026-01-15T14:32:15.000Z', recordedAt: '2026-01-15T14:32:15.100Z', payload, metadata: {},
});

describe('the event contracts', () => {
  it('list each version of a type once, with no gap between versions, and an upcast from every version but the latest', () => {
    const byType = new Map<string, number[]>();
    for (const c of EVENT_CONTRACTS) byType.set(c.type, [...(byType.get(c.type) ?? []), c.version]);
    for (const [type, versions] of byType) {
      expect({ type, versions }).toEqual({ type, versions: versions.map((_, i) => i + 1) });
      const upcasts = PAYLOAD_UPCASTS.filter((u) => u.type === type).map((u) => u.fromVersion);
      expect({ type, upcasts }).toEqual({ type, upcasts: versions.slice(0, -1) });
    }
    expect(latestEventContract('SignalReceived')?.version).toBe(2);
  });

  it('accept an event whose payload its contract accepts', () => {
    expect(ContractEnvelopeSchema.safeParse(envelope('IncidentAcknowledged', 1, { at: '2026-01-15T14:40:00.000Z', actor: 'oncall' })).success).toBe(true);
  });

  it('refuse a payload its contract does not accept, naming the type, version and field', () => {
    const parsed = ContractEnvelopeSchema.safeParse(envelope('SeverityChanged', 1, { at: '2026-01-15T14:40:00.000Z', from: 'SEV-3', to: 'SEV-0', reason: 'r', actor: 'a', basis: { rule: 'r', policyVersion: 'p', inputs: {} } }));
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['payload', 'to'], message: expect.stringMatching(/^SeverityChanged v1: /) })]);
  });

  it('read an older version through its upcast and hold it to the latest', () => {
    const v1 = { signalId: 's-1', channel: 'http-json', signal: { source: 'checkout', message: 'Rate limit exceeded', userId: 'user-456' } };
    expect(ContractEnvelopeSchema.safeParse(envelope('SignalReceived', 1, v1)).success).toBe(true);
    expect(ContractEnvelopeSchema.safeParse(envelope('SignalReceived', 1, { ...v1, channel: 'carrier-pigeon' })).error?.issues[0]).toMatchObject({ path: ['payload', 'channel'] });
  });

  it('refuse a version of a known type that the contracts do not know, and let a type they do not know through', () => {
    expect(ContractEnvelopeSchema.safeParse(envelope('IncidentOpened', 2, {})).error?.issues[0]).toMatchObject({ path: ['schemaVersion'], message: 'IncidentOpened v2 is not known here (latest: v1)' });
    expect(ContractEnvelopeSchema.safeParse(envelope('SomethingNewer', 1, { anything: true })).success).toBe(true);
  });
});
