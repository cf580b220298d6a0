import { EventEnvelopeSchema } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import { chunkBySize, groupByTopic, routeByType, toKafkaMessage } from './event-message';

describe('mapping a stored event to a Kafka message', () => {
  it('keys the message by stream id so one stream stays on one partition', () => {
    expect(toKafkaMessage(storedEvent({ streamId: 'incident-42' })).key).toBe('incident-42');
  });

  it('carries event id, type, schema version and stream and global positions as headers', () => {
    const message = toKafkaMessage(storedEvent({ streamVersion: 7, globalPosition: '1234', schemaVersion: 2 }));
    expect(message.headers).toEqual({
      'event-id': '0b7e5d7e-5b1e-4a43-9a55-3f7d3c0f6a11',
      'event-type': 'IncidentOpened',
      'schema-version': '2',
      'stream-id': 'incident-1',
      'stream-position': '7',
      'global-position': '1234',
    });
  });

  it('forwards W3C trace context from the metadata when the event has it', () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const message = toKafkaMessage(storedEvent({ metadata: { traceparent, tracestate: 'vendor=1', actor: 'x' } }));
    expect(message.headers).toMatchObject({ traceparent, tracestate: 'vendor=1' });
  });

  it('leaves out trace headers that are missing or not strings', () => {
    // Metadata is jsonb: its declared type is a hope, not a guarantee.
    const message = toKafkaMessage(storedEvent({ metadata: JSON.parse('{"traceparent": 42}') }));
    expect(Object.keys(message.headers)).not.toContain('traceparent');
    expect(Object.keys(message.headers)).not.toContain('tracestate');
  });

  it('serialises the whole event as an envelope that the contract schema accepts', () => {
    const event = storedEvent({ payload: { severity: 'SEV-2' }, metadata: { correlationId: 'c-1' } });
    const envelope = EventEnvelopeSchema.parse(JSON.parse(toKafkaMessage(event).value));
    expect(envelope).toEqual({
      id: event.id,
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      globalPosition: event.globalPosition,
      type: event.type,
      schemaVersion: event.schemaVersion,
      occurredAt: '2024-05-01T10:00:00.000Z',
      recordedAt: '2024-05-01T10:00:01.500Z',
      payload: { severity: 'SEV-2' },
      metadata: { correlationId: 'c-1' },
    });
  });
});

describe('routing a batch', () => {
  it('keeps log order within each topic', () => {
    const events = [1, 2, 3].map((v) => storedEvent({ streamVersion: v, type: v === 2 ? 'SignalReceived' : 'IncidentOpened' }));
    const groups = groupByTopic(events, routeByType({ IncidentOpened: 'incidents', SignalReceived: 'signals' }));
    expect(groups.map((g) => [g.topic, g.messages.map((m) => m.headers['stream-position'])])).toEqual([
      ['incidents', ['1', '3']],
      ['signals', ['2']],
    ]);
  });

  it('drops events routed to null, the explicit way to keep an event internal', () => {
    expect(groupByTopic([storedEvent()], routeByType({ IncidentOpened: null }))).toEqual([]);
  });

  it('refuses an event type nobody routed instead of silently skipping it', () => {
    expect(() => groupByTopic([storedEvent({ type: 'Unheard' })], routeByType({}))).toThrow(/Unheard/);
  });
});

function storedEvent(overrides: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id: '0b7e5d7e-5b1e-4a43-9a55-3f7d3c0f6a11',
    streamId: 'incident-1',
    streamVersion: 1,
    globalPosition: '1',
    transactionId: '900',
    type: 'IncidentOpened',
    schemaVersion: 1,
    occurredAt: new Date('2024-05-01T10:00:00.000Z'),
    recordedAt: new Date('2024-05-01T10:00:01.500Z'),
    payload: {},
    metadata: {},
    hash: 'abc',
    ...overrides,
  };
}

describe('chunkBySize', () => {
  const message = (i: number) => ({ key: 'incident-1', value: 'x'.repeat(1_000), headers: { 'event-id': String(i) } });

  it('keeps every produce request under the byte limit, in order, however many events one stream has', () => {
    const messages = Array.from({ length: 2_000 }, (_, i) => message(i));
    const requests = chunkBySize([{ topic: 't', messages }], 100_000);
    expect(requests.length).toBeGreaterThan(1);
    const sent = requests.flatMap((r) => r.flatMap((t) => t.messages.map((m) => m.headers['event-id'])));
    expect(sent).toEqual(messages.map((m) => m.headers['event-id']));
    for (const r of requests) expect(r.flatMap((t) => t.messages).length * 1_100).toBeLessThanOrEqual(100_000 + 1_100);
  });

  it('sends a small batch in one request', () => {
    expect(chunkBySize([{ topic: 'a', messages: [message(1)] }, { topic: 'b', messages: [message(2)] }], 100_000)).toHaveLength(1);
  });
});
