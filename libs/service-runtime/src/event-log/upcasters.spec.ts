import { legacyUserRef } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import { eventUpcasters } from './upcasters';

describe('the services\' upcasters', () => {
  it('read SignalReceived and SignalClassified v1 as v2, the stored row left as it was', () => {
    const registry = eventUpcasters();
    const received = stored('SignalReceived', { signalId: 's', channel: 'http-json', signal: { source: 'a', message: 'm', userId: 'u-9' } });
    expect(registry.upcast(received)).toMatchObject({ schemaVersion: 2, payload: { signal: { source: 'a', message: 'm' }, userRef: legacyUserRef('u-9') } });
    expect(received.payload).toMatchObject({ signal: { userId: 'u-9' } });
    expect(registry.upcast(stored('SignalClassified', { signalId: 's', userId: 'u-9' }))).toMatchObject({ schemaVersion: 2, payload: { userRef: legacyUserRef('u-9') } });
    const opened = stored('IncidentOpened', { at: 'x' });
    expect(registry.upcast(opened)).toBe(opened);
  });
});

function stored(type: string, payload: Record<string, unknown>): StoredEvent {
  return {
    id: '00000000-0000-4000-8000-000000000000', streamId: 's', streamVersion: 1, type, schemaVersion: 1, occurredAt: new Date(0), payload, metadata: {},
    globalPosition: '1', transactionId: '1', recordedAt: new Date(0), hash: '0'.repeat(64),
  };
}
