import { currentLogFields, traceIdOf } from '@incident/telemetry';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { z } from 'zod';
import type { HandlerContext } from '../consumer/handler';
import type { OutgoingMessage } from '../relay/event-message';
import { sendTraced } from './publish-spans';
import { tracedHandler } from './traced-handler';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const APPENDED_BY = `00-${TRACE}-00f067aa0ba902b7-01`;
const INCIDENT = '3f0c8a52-6d1e-4b7a-9c2d-1e5f7a9b0c3d';

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
});
beforeEach(() => exporter.reset());

describe('a consumed message continues the trace its event was appended in', () => {
  it('runs the handler in a consumer span whose parent is the traceparent header, with the event id in the log fields', async () => {
    let fields: ReturnType<typeof currentLogFields> = {};
    const handler = tracedHandler({
      topic: 'incidents.incidents.v1',
      schema: z.unknown(),
      handle: async () => {
        fields = currentLogFields();
      },
    });
    await handler.handle({}, context({ traceparent: APPENDED_BY, 'stream-id': `incident-${INCIDENT}`, 'event-type': 'IncidentOpened' }));
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('process incidents.incidents.v1');
    expect(span.spanContext().traceId).toBe(TRACE);
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span.attributes).toMatchObject({ 'messaging.message.id': 'e-1', 'incident.event.type': 'IncidentOpened' });
    expect(fields).toMatchObject({ event_id: 'e-1', incident_id: INCIDENT, stream_id: `incident-${INCIDENT}` });
  });

  it('marks the span failed and rethrows, so the consumer still retries', async () => {
    const handler = tracedHandler({ topic: 't', schema: z.unknown(), handle: async () => Promise.reject(new Error('boom')) });
    await expect(handler.handle({}, context({ traceparent: APPENDED_BY }))).rejects.toThrow('boom');
    expect(exporter.getFinishedSpans()[0].status).toMatchObject({ code: 2, message: 'boom' });
  });

  it('keeps the message id selector of the handler it wraps', () => {
    const handler = tracedHandler({ topic: 't', schema: z.object({ id: z.string() }), messageId: (m) => m.id, handle: async () => undefined });
    expect(handler.messageId?.({ id: 'x' }, {})).toBe('x');
  });
});

describe('the relay publishes each event under its own trace', () => {
  it('sends with a producer span per traced event, child of the context the event recorded, in its header', async () => {
    const traced: OutgoingMessage = { key: 's', value: '{}', headers: { 'event-id': 'e-1', traceparent: APPENDED_BY } };
    const untraced: OutgoingMessage = { key: 's', value: '{}', headers: { 'event-id': 'e-2' } };
    const sent = await sendTraced([{ topic: 'incidents.signals.v1', messages: [traced, untraced] }], async () => 'acked');
    expect(sent).toBe('acked');
    const [span] = exporter.getFinishedSpans();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
    expect(span).toMatchObject({ name: 'send incidents.signals.v1', parentSpanContext: expect.objectContaining({ spanId: '00f067aa0ba902b7' }) });
    expect(traceIdOf(traced.headers['traceparent'])).toBe(TRACE);
    expect(traced.headers['traceparent']).toContain(span.spanContext().spanId);
    expect(untraced.headers['traceparent']).toBeUndefined();
  });
});

function context(headers: Record<string, string>): HandlerContext {
  return { manager: undefined as never, topic: 'incidents.incidents.v1', partition: 0, messageId: 'e-1', offset: '7', headers };
}

describe('a batch handler', () => {
  it("runs in one batch span, and leaves a span in each message's own trace", async () => {
    const handler = tracedHandler({ topic: 't', schema: z.unknown(), handle: async () => undefined, handleBatch: async () => undefined });
    const other = `00-${'b'.repeat(32)}-00f067aa0ba902b7-01`;
    const messages = [APPENDED_BY, other].map((traceparent, i) => ({ value: {}, messageId: `e-${i}`, offset: String(i), headers: { traceparent } }));
    await handler.handleBatch?.(messages, { manager: undefined as never, topic: 't', partition: 1 });
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.spanContext().traceId).sort()).toEqual(expect.arrayContaining([TRACE, 'b'.repeat(32)]));
    const batch = spans.find((s) => s.attributes['messaging.batch.message_count'] === 2);
    expect(batch?.links).toHaveLength(2);
    expect(spans).toHaveLength(3);
  });
});
