import { EventHeaders } from '@incident/contracts';
import { contextFromTraceparent, incidentIdOfStream, withLogFields } from '@incident/telemetry';
import { type Attributes, type Context, type Link, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { BatchContext, ClaimedMessage, HandlerContext, MessageHandler } from '../consumer/handler';

const tracer = trace.getTracer('@incident/messaging');

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

/** A batch handler decides for many messages at once: one span, linked to each message's trace. */
function inBatchSpan<T>(messages: readonly ClaimedMessage<T>[], ctx: BatchContext, fn: () => Promise<void>): Promise<void> {
  const links: Link[] = [];
  for (const m of messages) {
    const span = trace.getSpanContext(contextFromTraceparent(m.headers[EventHeaders.traceparent], m.headers[EventHeaders.tracestate]));
    if (span) links.push({ context: span });
  }
  const attributes = { ...messagingAttributes(ctx), 'messaging.batch.message_count': messages.length };
  return inSpan(`process ${ctx.topic}`, { attributes, links }, ROOT_CONTEXT, fn);
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
