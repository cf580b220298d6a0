import { Streams } from '@incident/contracts';
import { signalsAnswer } from './answer';
import {
  type RecordingContext,
  signalReceived,
  traceContext,
  trafficSampled,
} from './signal-events';
import { signalReceivedEventId } from './signal-id';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('request -> events', () => {
  it('records a signal as SignalReceived v2 in its own stream, with its id, channel and the signal as sent', () => {
    const signal = {
      id: 'pub-1',
      source: 'api',
      message: 'Rate limit exceeded',
      timestamp: '2025-12-24T14:35:22.123Z',
      errorCode: 429,
    };
    const planned = signalReceived(signal, 'http-json', ctx());
    expect(planned).toEqual({
      itemId: 'pub-1',
      streamId: Streams.signal('pub-1'),
      expectedVersion: 'no_stream',
      event: {
        id: signalReceivedEventId('pub-1'),
        type: 'SignalReceived',
        schemaVersion: 2,
        occurredAt: new Date('2025-12-24T14:35:22.123Z'),
        payload: { signalId: 'pub-1', channel: 'http-json', signal },
        metadata: { actor: 'deploy-bot', correlationId: 'req-1234567' },
      },
    });
  });

  it('keeps the userId out of the event: the user is named by the pseudonym it is given, and one is required', () => {
    const userRef = `usr_${'b'.repeat(32)}`;
    const planned = signalReceived({ id: 'pub-2', source: 'api', message: 'boom', userId: 'user-456' }, 'http-json', ctx(), userRef);
    expect(planned.event.payload).toEqual({ signalId: 'pub-2', channel: 'http-json', signal: { id: 'pub-2', source: 'api', message: 'boom' }, userRef });
    expect(() => signalReceived({ source: 'api', message: 'boom', userId: 'user-456' }, 'http-json', ctx())).toThrow(/pseudonym/);
  });

  it('derives a content id from the pseudonym, not the userId, so the id cannot be reversed to the user', () => {
    const signal = { source: 'api', message: 'boom', userId: 'user-456' };
    const a = signalReceived(signal, 'http-json', ctx(), `usr_${'a'.repeat(32)}`).itemId;
    expect(signalReceived(signal, 'http-json', ctx(), `usr_${'a'.repeat(32)}`).itemId).toBe(a);
    expect(signalReceived(signal, 'http-json', ctx(), `usr_${'c'.repeat(32)}`).itemId).not.toBe(a);
    expect(signalReceived({ source: 'api', message: 'boom' }, 'http-json', ctx()).itemId).not.toBe(a);
  });

  it('takes the time of receipt as event time when the signal has no timestamp', () => {
    const planned = signalReceived(
      { source: 'api', message: 'boom' },
      'http-json',
      ctx(),
    );
    expect(planned.event.occurredAt).toEqual(
      new Date('2026-01-02T03:04:05.000Z'),
    );
  });

  it("keeps the caller's W3C trace context in the metadata, and only a well-formed one", () => {
    const traced = signalReceived(
      { source: 'api', message: 'boom' },
      'http-json',
      ctx(traceContext(TRACEPARENT, 'vendor=x')),
    );
    expect(traced.event.metadata).toEqual({
      actor: 'deploy-bot',
      correlationId: 'req-1234567',
      traceparent: TRACEPARENT,
      tracestate: 'vendor=x',
    });
    expect(traceContext('not-a-traceparent', 'vendor=x')).toEqual({});
  });

  it('records a traffic sample as TrafficSampled v1 in its source stream at the end of its window', () => {
    const sample = {
      source: 'api',
      windowStart: '2026-01-01T00:00:00Z',
      windowEnd: '2026-01-01T00:01:00Z',
      requests: 100,
      errors: 7,
    };
    const planned = trafficSampled(sample, ctx());
    expect(planned).toMatchObject({
      streamId: Streams.source('api'),
      expectedVersion: 'any',
      event: {
        type: 'TrafficSampled',
        schemaVersion: 1,
        occurredAt: new Date('2026-01-01T00:01:00Z'),
        payload: sample,
      },
    });
    expect(trafficSampled({ ...sample }, ctx()).event.id).toBe(
      planned.event.id,
    );
    expect(trafficSampled({ ...sample, errors: 8 }, ctx()).event.id).not.toBe(
      planned.event.id,
    );
  });

  it('answers how many were stored and which were already in the log', () => {
    const planned = [
      signalReceived(
        { id: 'a', source: 's', message: 'm' },
        'http-json',
        ctx(),
      ),
      signalReceived(
        { id: 'b', source: 's', message: 'm' },
        'http-json',
        ctx(),
      ),
    ];
    expect(signalsAnswer(planned, [false, true])).toEqual({
      accepted: 1,
      duplicates: 1,
      signals: [
        { signalId: 'a', duplicate: false },
        { signalId: 'b', duplicate: true },
      ],
    });
  });
});

function ctx(overrides: Partial<RecordingContext> = {}): RecordingContext {
  return {
    receivedAt: new Date('2026-01-02T03:04:05.000Z'),
    actor: 'deploy-bot',
    correlationId: 'req-1234567',
    ...overrides,
  };
}
