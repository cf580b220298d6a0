import { EventHeaders } from '@incident/contracts';
import { contextFromTraceparent, incidentIdOfStream, withLogFields, withMessageSpans } from '@incident/telemetry';
import { type Attributes, type Context, context, type Link, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { BatchContext, ClaimedMessage, HandlerContext, MessageHandler } from '../consumer/handler';

const tracer = trace.getTracer('@incident/messaging');
const MAX_BATCH_LINKS = 32;

/**
 * The handler, run in a consumer span that continues the trace of the message (its traceparent
 * header, written by the relay from the event's metadata). So the work of every service a signal
 * passes through lands in the trace its request started, and what the handler appends records
 * this span as its trace context (the event store stamps the active span, see service-runtime).
 *
 * kafkajs's own instrumentation only links a batch's messages to their producers, under a new
 * trace per fetched batch; this is what keeps one trace per signal. Log lines written meanwhile
 * carry the event id, stream and incident.
 */
export function tracedHandler<T>(handler: MessageHandler<T>): MessageHandler<T> {
  const traced: MessageHandler<T> = {
    topic: handler.topic,
    schema: handler.schema,
    handle: (message, ctx) => inMessageSpan(ctx, () => handler.handle(message, ctx)),
  };
  if (handler.messageId) traced.messageId = handler.messageId.bind(handler);
  if (handler.handles) traced.handles = handler.handles.bind(handler);
  const batch = handler.handleBatch?.bind(handler);
  if (batch) traced.handleBatch = (messages, ctx) => inBatchSpan(messages, ctx, () => batch(messages, ctx));
  return traced;
}

function inMessageSpan(ctx: HandlerContext, fn: () => Promise<void>): Promise<void> {
  const streamId = ctx.headers[EventHeaders.streamId];
  const parent = contextFromTraceparent(ctx.headers[EventHeaders.traceparent], ctx.headers[EventHeaders.tracestate]);
  const attributes: Attributes = {
    ...messagingAttributes(ctx),
    'messaging.message.id': ctx.messageId,
    'messaging.kafka.offset': Number(ctx.offset),
    ...(ctx.headers[EventHeaders.eventType] ? { 'incident.event.type': ctx.headers[EventHeaders.eventType] } : {}),
    ...(streamId ? { 'incident.stream.id': streamId } : {}),
  };
  return withLogFields({ event_id: ctx.messageId, stream_id: streamId, incident_id: incidentIdOfStream(streamId) }, () =>
    inSpan(`process ${ctx.topic}`, { attributes }, parent, fn),
  );
}

/**
 * A batch handler decides for many messages at once: one span for the batch (linked to each
 * message's trace) in which the handler runs, plus, in each message's own trace, a span for its
 * part of the batch (linked to the batch span). So a signal's trace still shows every service it
 * went through when a service handles its messages batch-wise.
 */
function inBatchSpan<T>(messages: readonly ClaimedMessage<T>[], ctx: BatchContext, fn: () => Promise<void>): Promise<void> {
  const parents = messages.map((m) => contextFromTraceparent(m.headers[EventHeaders.traceparent], m.headers[EventHeaders.tracestate]));
  // The SDK keeps 128 links a span and warns on stderr past that; the per-message spans link
  // back to this one anyway, so the first few are enough to find the batch from a trace.
  const links: Link[] = parents
    .flatMap((p) => {
      const span = trace.getSpanContext(p);
      return span ? [{ context: span }] : [];
    })
    .slice(0, MAX_BATCH_LINKS);
  const attributes = { ...messagingAttributes(ctx), 'messaging.batch.message_count': messages.length };
  return inSpan(`process ${ctx.topic}`, { attributes, links }, ROOT_CONTEXT, async () => {
    const batch = trace.getActiveSpan()?.spanContext();
    const each = messages.flatMap((m, i) =>
      parents[i] === ROOT_CONTEXT
        ? []
        : [
            tracer.startSpan(
              `process ${ctx.topic}`,
              {
                kind: SpanKind.CONSUMER,
                attributes: { ...messagingAttributes(ctx), 'messaging.message.id': m.messageId, 'messaging.kafka.offset': Number(m.offset) },
                ...(batch ? { links: [{ context: batch }] } : {}),
              },
              parents[i],
            ),
          ],
    );
    try {
      // What the handler appends for a message records that message's span (InstrumentedEventStore).
      await context.with(withMessageSpans(context.active(), each.map((s) => s.spanContext())), fn);
    } catch (error) {
      for (const span of each) failed(span, error);
      throw error;
    } finally {
      for (const span of each) span.end();
    }
  });
}

function messagingAttributes(ctx: BatchContext): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': 'process',
    'messaging.destination.name': ctx.topic,
    'messaging.destination.partition.id': String(ctx.partition),
  };
}

async function inSpan(name: string, options: { attributes: Attributes; links?: Link[] }, parent: Context, fn: () => Promise<void>): Promise<void> {
  return tracer.startActiveSpan(name, { kind: SpanKind.CONSUMER, ...options }, parent, async (span: Span) => {
    try {
      await fn();
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

export function failed(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
