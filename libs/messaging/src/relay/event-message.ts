import { EventHeaders, type EventEnvelope } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';

/**
 * Picks the topic an event is published to. Return `null` to keep an event inside the log on
 * purpose (it still advances the relay's checkpoint). Throwing stalls the relay, which is the
 * loud failure we want for an event type nobody routed: skipping it would silently lose it.
 */
export type TopicRouter = (event: StoredEvent) => string | null;

/** Builds a router from a table of event type -> topic; unknown types throw (see above). */
export function routeByType(table: Record<string, string | null>): TopicRouter {
  return (event) => {
    const topic = table[event.type];
    if (topic === undefined) throw new Error(`no topic routed for event type ${event.type}`);
    return topic;
  };
}

export interface OutgoingMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export function toEnvelope(event: StoredEvent): EventEnvelope {
  return {
    id: event.id,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt.toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    payload: event.payload,
    metadata: event.metadata,
  };
}

/**
 * The Kafka message for one stored event. The key is the stream id: Kafka keeps order per
 * partition, and equal keys land on one partition, so a stream's events arrive in version order.
 * Headers repeat what a consumer needs to route, de-duplicate or trace without parsing the body.
 */
export function toKafkaMessage(event: StoredEvent): OutgoingMessage {
  const headers: Record<string, string> = {
    [EventHeaders.eventId]: event.id,
    [EventHeaders.eventType]: event.type,
    [EventHeaders.schemaVersion]: String(event.schemaVersion),
    [EventHeaders.streamId]: event.streamId,
    [EventHeaders.streamPosition]: String(event.streamVersion),
    [EventHeaders.globalPosition]: event.globalPosition,
  };
  // W3C trace context (https://www.w3.org/TR/trace-context/) continues the trace of the request
  // that appended the event; only strings are forwarded, a malformed value would break parsers.
  const { traceparent, tracestate } = event.metadata;
  if (typeof traceparent === 'string' && traceparent !== '') headers[EventHeaders.traceparent] = traceparent;
  if (typeof tracestate === 'string' && tracestate !== '') headers[EventHeaders.tracestate] = tracestate;
  return { key: event.streamId, value: JSON.stringify(toEnvelope(event)), headers };
}

/**
 * Groups a batch by topic for one `sendBatch`, keeping log order inside each topic (and so
 * inside each key). Events routed to `null` are dropped here.
 */
export function groupByTopic(
  events: readonly StoredEvent[],
  route: TopicRouter,
): { topic: string; messages: OutgoingMessage[] }[] {
  const byTopic = new Map<string, OutgoingMessage[]>();
  for (const event of events) {
    const topic = route(event);
    if (topic === null) continue;
    const messages = byTopic.get(topic) ?? [];
    messages.push(toKafkaMessage(event));
    byTopic.set(topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/**
 * Splits a relay batch into produce requests of at most `maxBytes` (approximate: keys, values and
 * headers). Kafka refuses a record batch over the broker's message.max.bytes (1 MiB by default),
 * and a storm puts thousands of one stream's events, all on one partition, into a single batch.
 * Requests are sent one after another, so a stream's order on its partition is kept.
 */
export function chunkBySize(
  topicMessages: readonly { topic: string; messages: OutgoingMessage[] }[],
  maxBytes: number,
): { topic: string; messages: OutgoingMessage[] }[][] {
  const requests: { topic: string; messages: OutgoingMessage[] }[][] = [];
  let current: { topic: string; messages: OutgoingMessage[] }[] = [];
  let size = 0;
  for (const { topic, messages } of topicMessages) {
    for (const message of messages) {
      const bytes = approximateSize(message);
      if (size > 0 && size + bytes > maxBytes) {
        requests.push(current);
        current = [];
        size = 0;
      }
      const last = current[current.length - 1];
      if (last?.topic === topic) last.messages.push(message);
      else current.push({ topic, messages: [message] });
      size += bytes;
    }
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

function approximateSize(m: OutgoingMessage): number {
  let bytes = Buffer.byteLength(m.key) + Buffer.byteLength(m.value) + 70; // record overhead
  for (const [k, v] of Object.entries(m.headers)) bytes += Buffer.byteLength(k) + Buffer.byteLength(v) + 2;
  return bytes;
}
