import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { activeTraceContext, contextFromTraceparent, formatTraceparent, traceContextToRecord, traceIdOf, withMessageSpans } from './trace-context';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${TRACE}-00f067aa0ba902b7-01`;

describe('trace context in the log and the headers', () => {
  it('formats and parses W3C traceparents', () => {
    expect(formatTraceparent({ traceId: TRACE, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED })).toBe(PARENT);
    expect(traceIdOf(PARENT)).toBe(TRACE);
    expect(traceIdOf(' not-a-traceparent ')).toBeUndefined();
    expect(traceIdOf(`00-${'0'.repeat(32)}-00f067aa0ba902b7-01`)).toBeUndefined();
    expect(traceIdOf(42)).toBeUndefined();
  });

  it('continues a remote parent from a header, and starts afresh from a malformed one', () => {
    const ctx = contextFromTraceparent(PARENT, 'vendor=1');
    const span = trace.getSpanContext(ctx);
    expect(span).toMatchObject({ traceId: TRACE, spanId: '00f067aa0ba902b7', isRemote: true });
    expect(span?.traceState?.serialize()).toBe('vendor=1');
    expect(contextFromTraceparent('garbage')).toBe(ROOT_CONTEXT);
    expect(contextFromTraceparent(undefined)).toBe(ROOT_CONTEXT);
  });

  it('has no active trace context when no span is active (tracing off)', () => {
    expect(activeTraceContext(ROOT_CONTEXT)).toEqual({});
  });

  it("records the active span's context on an event of the same trace or of none, and keeps another trace's", () => {
    const active = trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE, spanId: '1111111111111111', traceFlags: 1 });
    const mine = `00-${TRACE}-1111111111111111-01`;
    expect(traceContextToRecord({ traceparent: PARENT }, active)).toEqual({ traceparent: mine });
    expect(traceContextToRecord({}, active)).toEqual({ traceparent: mine });
    const other = `00-${'a'.repeat(32)}-00f067aa0ba902b7-01`;
    expect(traceContextToRecord({ traceparent: other, tracestate: 'x=1' }, active)).toEqual({ traceparent: other, tracestate: 'x=1' });
    expect(traceContextToRecord({ traceparent: PARENT }, ROOT_CONTEXT)).toEqual({ traceparent: PARENT });
  });

  it("records, under a batch's span, the span of the batch's message of the event's own trace", () => {
    const batch = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'c'.repeat(32), spanId: '2222222222222222', traceFlags: 1 });
    const ctx = withMessageSpans(batch, [{ traceId: TRACE, spanId: '3333333333333333', traceFlags: 1 }]);
    expect(traceContextToRecord({ traceparent: PARENT }, ctx)).toEqual({ traceparent: `00-${TRACE}-3333333333333333-01` });
    const other = `00-${'d'.repeat(32)}-00f067aa0ba902b7-01`;
    expect(traceContextToRecord({ traceparent: other }, ctx)).toEqual({ traceparent: other });
  });
});
