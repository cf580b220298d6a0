import { EventHeaders } from '@incident/contracts';
import { activeTraceContext, contextFromTraceparent } from '@incident/telemetry';
import { context, ROOT_CONTEXT, type Span, SpanKind, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { OutgoingMessage } from '../relay/event-message';
import { failed } from './traced-handler';

const tracer = trace.getTracer('@incident/messaging');

/**
 * Sends a relay batch with a producer span per event, each a child of the trace context the event
 * recorded when it was appended, and that span's context in the message's traceparent header: the
 * hop from the log to Kafka shows in the trace of the request that appended the event.
 *
 * The send itself runs with tracing suppressed. kafkajs's instrumentation would otherwise give
 * every message of the batch a span under the one context active here (none: the relay loop) and
 * overwrite its traceparent with it, cutting each event off from its own trace.
 * An event recorded outside any trace is sent as it is, without a span.
 */
export async function sendTraced<R>(topicMessages: readonly { topic: string; messages: OutgoingMessage[] }[], send: () => Promise<R>): Promise<R> {
  const spans: Span[] = [];
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const parent = contextFromTraceparent(message.headers[EventHeaders.traceparent], message.headers[EventHeaders.tracestate]);
      if (parent === ROOT_CONTEXT) continue;
      const span = tracer.startSpan(
        `send ${topic}`,
        {
          kind: SpanKind.PRODUCER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': topic,
            'messaging.kafka.message.key': message.key,
            'messaging.message.id': message.headers[EventHeaders.eventId],
            'incident.event.type': message.headers[EventHeaders.eventType],
          },
        },
        parent,
      );
      const sent = activeTraceContext(trace.setSpan(parent, span));
      if (sent.traceparent) message.headers[EventHeaders.traceparent] = sent.traceparent;
      spans.push(span);
    }
  }
  try {
    return await untraced(send);
  } catch (error) {
    for (const span of spans) failed(span, error);
    throw error;
  } finally {
    for (const span of spans) span.end();
  }
}

/**
 * Runs a send without kafkajs's instrumentation, which would replace the message's traceparent
 * with a span of the context active here: for a message that already carries the trace context
 * it belongs to (a relayed event, a dead letter keeping its original's headers).
 */
export function untraced<R>(send: () => Promise<R>): Promise<R> {
  return context.with(suppressTracing(context.active()), send);
}
