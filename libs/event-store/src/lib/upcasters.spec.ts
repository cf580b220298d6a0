import type { StoredEvent } from './types';
import { UpcasterRegistry } from './upcasters';

describe('UpcasterRegistry', () => {
  const registry = () =>
    new UpcasterRegistry()
      .register('IncidentOpened', 1, (p) => ({
        ...p,
        severity: p['sev'],
        sev: undefined,
      }))
      .register('IncidentOpened', 2, (p) => ({
        ...p,
        services: [p['service']],
        service: undefined,
      }));

  it('reads a v1 event as v3 by chaining v1 -> v2 -> v3', () => {
    const read = registry().upcast(
      stored({
        schemaVersion: 1,
        payload: { sev: 'SEV-2', service: 'checkout' },
      }),
    );
    expect(read.schemaVersion).toBe(3);
    expect(read.payload).toEqual({ severity: 'SEV-2', services: ['checkout'] });
  });

  it('starts the chain at the stored version', () => {
    const read = registry().upcast(
      stored({
        schemaVersion: 2,
        payload: { severity: 'SEV-1', service: 'search' },
      }),
    );
    expect(read).toMatchObject({
      schemaVersion: 3,
      payload: { severity: 'SEV-1', services: ['search'] },
    });
  });

  it('returns current-version events and unknown types untouched', () => {
    const current = stored({ schemaVersion: 3 });
    const other = stored({ type: 'NoteAdded', schemaVersion: 1 });
    expect(registry().upcast(current)).toBe(current);
    expect(registry().upcast(other)).toBe(other);
  });

  it('never changes the stored event it was given (old versions are read, not rewritten)', () => {
    const original = stored({
      schemaVersion: 1,
      payload: { sev: 'SEV-3', service: 'auth' },
    });
    const snapshot = structuredClone(original);
    registry().upcast(original);
    expect(original).toEqual(snapshot);
  });

  it('keeps the stored hash and position: upcasting is a view, not a new event', () => {
    const original = stored({
      schemaVersion: 1,
      payload: { sev: 'SEV-3', service: 'auth' },
    });
    const read = registry().upcast(original);
    expect(read).toMatchObject({
      hash: original.hash,
      globalPosition: original.globalPosition,
      id: original.id,
    });
  });

  it('refuses a second upcaster for the same type and version', () => {
    expect(() => registry().register('IncidentOpened', 1, (p) => p)).toThrow(
      'already registered',
    );
  });

  it('refuses a version that is not a positive integer', () => {
    expect(() => new UpcasterRegistry().register('X', 0, (p) => p)).toThrow(
      RangeError,
    );
  });
});

function stored(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    type: 'IncidentOpened',
    schemaVersion: 1,
    occurredAt: new Date('2025-01-01T00:00:00.000Z'),
    payload: {},
    metadata: {},
    streamId: 'incident-1',
    streamVersion: 1,
    globalPosition: '1',
    transactionId: '100',
    recordedAt: new Date('2025-01-01T00:00:01.000Z'),
    hash: 'a'.repeat(64),
    ...overrides,
  };
}
