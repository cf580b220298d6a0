import { canonicalJson } from './canonical-json';
import {
  type ChainedFields,
  GENESIS_HASH,
  canonicalEvent,
  chainHash,
  eventHash,
} from './hash-chain';

describe('the hash chain', () => {
  it('serialises an event exactly as canonicalJson of its fields, so verification can recompute it', () => {
    const fields = event();
    expect(canonicalEvent(fields)).toBe(
      canonicalJson({ ...fields, occurredAt: fields.occurredAt.toISOString() }),
    );
  });

  it('is sha256 over the previous hash followed by the canonical event', () => {
    const fields = event();
    expect(eventHash(GENESIS_HASH, fields)).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(GENESIS_HASH, fields)).toBe(
      chainHash(GENESIS_HASH, canonicalEvent(fields)),
    );
  });

  it('does not depend on the key order of payload or metadata', () => {
    const a = event({
      payload: { a: 1, b: { c: 2, d: 3 } },
      metadata: { actor: 'x', correlationId: 'y' },
    });
    const b = event({
      payload: { b: { d: 3, c: 2 }, a: 1 },
      metadata: { correlationId: 'y', actor: 'x' },
    });
    expect(eventHash(GENESIS_HASH, a)).toBe(eventHash(GENESIS_HASH, b));
  });

  it.each<[string, Partial<ChainedFields>]>([
    ['id', { id: '00000000-0000-4000-8000-000000000002' }],
    ['stream', { streamId: 'incident-2' }],
    ['version', { streamVersion: 2 }],
    ['type', { type: 'IncidentResolved' }],
    ['schema version', { schemaVersion: 2 }],
    ['event time', { occurredAt: new Date('2025-01-01T00:00:00.001Z') }],
    ['payload', { payload: { severity: 'SEV-1' } }],
    ['metadata', { metadata: { actor: 'someone-else' } }],
  ])('changes when the %s changes', (_field, change) => {
    expect(eventHash(GENESIS_HASH, event(change))).not.toBe(
      eventHash(GENESIS_HASH, event()),
    );
  });

  it('makes each hash depend on every event before it', () => {
    const first = eventHash(GENESIS_HASH, event());
    const second = eventHash(first, event({ streamVersion: 2 }));
    const forgedFirst = eventHash(
      GENESIS_HASH,
      event({ payload: { severity: 'SEV-4' } }),
    );
    expect(eventHash(forgedFirst, event({ streamVersion: 2 }))).not.toBe(
      second,
    );
  });
});

function event(overrides: Partial<ChainedFields> = {}): ChainedFields {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    streamId: 'incident-1',
    streamVersion: 1,
    type: 'IncidentOpened',
    schemaVersion: 1,
    occurredAt: new Date('2025-01-01T00:00:00.000Z'),
    payload: { severity: 'SEV-2', services: ['checkout', 'payments'] },
    metadata: { correlationId: 'corr-1', actor: 'classifier' },
    ...overrides,
  };
}
