import { z } from 'zod';

/**
 * What the relay publishes for every event of the log: the event as stored, so a consumer can
 * de-duplicate by `id`, order by `streamVersion`, and an auditor can match a message to its row.
 */
export const EventEnvelopeSchema = z.strictObject({
  id: z.uuid(),
  streamId: z.string().min(1),
  streamVersion: z.number().int().positive(),
  globalPosition: z.string().regex(/^\d+$/),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  recordedAt: z.iso.datetime({ offset: true }),
  payload: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof EventEnvelopeSchema>;

/** Kafka header names carried by every relayed message. */
export const EventHeaders = {
  eventId: 'event-id',
  eventType: 'event-type',
  schemaVersion: 'schema-version',
  streamId: 'stream-id',
  streamPosition: 'stream-position',
  globalPosition: 'global-position',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;

/** Headers added to a message moved to the dead-letter topic. */
export const DeadLetterHeaders = {
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
  consumerGroup: 'dlq-consumer-group',
  reason: 'dlq-reason',
  attempts: 'dlq-attempts',
  failedAt: 'dlq-failed-at',
} as const;
