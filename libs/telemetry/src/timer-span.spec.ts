import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { activeTraceContext, traceIdOf } from './trace-context';
import { currentLogFields } from './log-context';
import { inTimerSpan } from './timer-span';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SCHEDULED_BY = `00-${TRACE}-00f067aa0ba902b7-01`;
const INCIDENT = '3f0c8a52-6d1e-4b7a-9c2d-1e5f7a9b0c3d';
const FIRED_AT = new Date('2026-01-15T15:02:15.000Z');

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  // As the SDK does in a service: without a context manager no span is ever the active one.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
});
beforeEach(() => exporter.reset());
afterAll(() => context.disable());

describe('a fired timer runs in a span of the incident\'s trace', () => {
  it('continues the trace its timer event recorded, and what it appends records the timer span', async () => {
    let appendedUnder: ReturnType<typeof activeTraceContext> = {};
    let fields: ReturnType<typeof currentLogFields> = {};
    const result = await inTimerSpan({ kind: 'resolve', incidentId: INCIDENT, recorded: { traceparent: SCHEDULED_BY, actor: 'correlation' }, firedAt: FIRED_AT }, async () => {
      appendedUnder = activeTraceContext();
      fields = currentLogFields();
      return 'fired';
    });
    expect(result).toBe('fired');
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('fire resolve timer');
    expect(span.spanContext().traceId).toBe(TRACE);
    expect(span.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(span.attributes).toEqual({ 'incident.id': INCIDENT, 'incident.timer.kind': 'resolve', 'incident.timer.fired_at': '2026-01-15T15:02:15.000Z' });
    expect(appendedUnder.traceparent).toBe(`00-${TRACE}-${span.spanContext().spanId}-01`);
    expect(fields).toMatchObject({ incident_id: INCIDENT, trace_id: TRACE, span_id: span.spanContext().spanId });
  });

  it('starts a trace of its own when the timer event carries none (or a malformed one)', async () => {
    await inTimerSpan({ kind: 'postmortem-due', incidentId: INCIDENT, recorded: {}, firedAt: FIRED_AT }, async () => undefined);
    await inTimerSpan({ kind: 'postmortem-due', incidentId: INCIDENT, recorded: { traceparent: 'not-a-traceparent' }, firedAt: FIRED_AT }, async () => undefined);
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.parentSpanContext).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(TRACE);
    }
    expect(traceIdOf(`00-${spans[0].spanContext().traceId}-${spans[0].spanContext().spanId}-01`)).toBe(spans[0].spanContext().traceId);
  });

  it('marks the span failed and rethrows, so the poller still passes the timer over and retries it', async () => {
    await expect(inTimerSpan({ kind: 'acknowledgement', incidentId: INCIDENT, recorded: { traceparent: SCHEDULED_BY }, firedAt: FIRED_AT }, async () => Promise.reject(new Error('version conflict')))).rejects.toThrow('version conflict');
    expect(exporter.getFinishedSpans()[0].status).toMatchObject({ code: 2, message: 'version conflict' });
  });
});
