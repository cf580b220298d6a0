import { InvalidEventError } from './errors';
import { prepareEvents } from './prepare';
import type { NewEvent } from './types';

describe('validating events before append', () => {
  it('lower-cases the id, as PostgreSQL prints uuids, so the hash matches what is read back', () => {
    const [prepared] = prepareEvents('s', [
      event({ id: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE' }),
    ]);
    expect(prepared.id).toBe('aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
  });

  it('serialises payload and metadata canonically, once', () => {
    const [prepared] = prepareEvents('s', [
      event({ payload: { b: 1, a: 2 }, metadata: undefined }),
    ]);
    expect(prepared).toMatchObject({
      payloadJson: '{"a":2,"b":1}',
      metadataJson: '{}',
      metadata: {},
    });
  });

  it.each<[string, Partial<NewEvent>, string]>([
    ['a non-uuid id', { id: 'signal-1' }, 'id must be a uuid'],
    ['an empty type', { type: '' }, 'type must be a non-empty string'],
    [
      'schema version 0',
      { schemaVersion: 0 },
      'schemaVersion must be a positive integer',
    ],
    [
      'an invalid date',
      { occurredAt: new Date('nope') },
      'occurredAt must be a valid Date',
    ],
    [
      'an array payload',
      { payload: [] as unknown as Record<string, unknown> },
      'payload must be a JSON object',
    ],
    [
      'a NaN in the payload',
      { payload: { rate: Number.NaN } },
      'payload: cannot serialise $.rate',
    ],
  ])('rejects %s before touching the database', (_what, change, message) => {
    expect(() => prepareEvents('s', [event(change)])).toThrow(
      InvalidEventError,
    );
    expect(() => prepareEvents('s', [event(change)])).toThrow(message);
  });

  it('rejects the same id twice in one append', () => {
    const twice = event();
    expect(() => prepareEvents('s', [twice, { ...twice }])).toThrow(
      'appears twice in one append',
    );
  });

  it('rejects an empty stream id', () => {
    expect(() => prepareEvents('', [event()])).toThrow(
      'streamId must be a non-empty string',
    );
  });
});

function event(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    type: 'SignalReceived',
    schemaVersion: 1,
    occurredAt: new Date('2025-01-01T00:00:00.000Z'),
    payload: { source: 'checkout' },
    metadata: { actor: 'ingest' },
    ...overrides,
  };
}
