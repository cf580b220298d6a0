import {
  type Context,
  context,
  createContextKey,
  createTraceState,
  isSpanContextValid,
  ROOT_CONTEXT,
  type SpanContext,
  trace,
} from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';

/** The W3C trace context fields the event log's metadata and the Kafka headers carry. */
export interface TraceContextFields {
  traceparent?: string;
  tracestate?: string;
}

/**
 * `traceparent` of a span context (https://www.w3.org/TR/trace-context/#traceparent-header).
 * Written by hand rather than through the global propagator: the log's field is W3C whatever
 * OTEL_PROPAGATORS says.
 */
export function formatTraceparent(span: SpanContext): string {
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The trace context of the active span; {} when tracing is off or no span is active. */
export function activeTraceContext(ctx: Context = context.active()): TraceContextFields {
  const span = trace.getSpan(ctx)?.spanContext();
  return span && isSpanContextValid(span) ? fieldsOf(span) : {};
}

function fieldsOf(span: SpanContext): TraceContextFields {
  const state = span.traceState?.serialize();
  return { traceparent: formatTraceparent(span), ...(state ? { tracestate: state } : {}) };
}

const MESSAGE_SPANS = createContextKey('@incident/telemetry message spans');

/**
 * A context that knows the span of each message of a batch, by trace: an event a batch handler
 * appends for one of its messages (it recorded that message's trace) records that message's span,
 * though the batch runs under a span of its own.
 */
export function withMessageSpans(ctx: Context, spans: readonly SpanContext[]): Context {
  return ctx.setValue(MESSAGE_SPANS, new Map(spans.map((s) => [s.traceId, s])));
}

/** The 32-hex trace id of a traceparent, or undefined when it is not one. */
export function traceIdOf(traceparent: unknown): string | undefined {
  if (typeof traceparent !== 'string') return undefined;
  const span = parseTraceParent(traceparent.trim());
  return span && isSpanContextValid(span) ? span.traceId : undefined;
}

/**
 * A context whose (remote) parent is the given trace context: what a consumer continues from a
 * message's headers or an event's metadata. The root context when there is none or it is invalid,
 * so a malformed header starts a new trace instead of failing the message.
 */
export function contextFromTraceparent(traceparent: unknown, tracestate?: unknown, base: Context = ROOT_CONTEXT): Context {
  if (typeof traceparent !== 'string') return base;
  const span = parseTraceParent(traceparent.trim());
  if (!span || !isSpanContextValid(span)) return base;
  const state = typeof tracestate === 'string' && tracestate !== '' ? createTraceState(tracestate) : undefined;
  return trace.setSpanContext(base, { ...span, isRemote: true, ...(state ? { traceState: state } : {}) });
}

/**
 * The trace context to record on an event: the active span's when it continues the event's own
 * trace (or the event has none), else the event's. A batch handled under one span must not move
 * every event of the batch into that one trace.
 */
export function traceContextToRecord(recorded: TraceContextFields, ctx: Context = context.active()): TraceContextFields {
  const active = activeTraceContext(ctx);
  if (!active.traceparent) return recorded;
  const own = traceIdOf(recorded.traceparent);
  const message = own === undefined ? undefined : (ctx.getValue(MESSAGE_SPANS) as Map<string, SpanContext> | undefined)?.get(own);
  if (message) return fieldsOf(message);
  if (own !== undefined && own !== traceIdOf(active.traceparent)) return recorded;
  return active;
}
