import { EventHeaders } from '@incident/contracts';
import type { IHeaders } from 'kafkajs';
import type { z } from 'zod';

export type MessageHeaders = Record<string, string>;

/** Picks the id the consumer de-duplicates by; the relay puts it in the `event-id` header. */
export type MessageIdSelector<T> = (value: T, headers: MessageHeaders) => string | undefined;

export type ParsedMessage<T> =
  | { ok: true; value: T; messageId: string; headers: MessageHeaders }
  | { ok: false; reason: string; headers: MessageHeaders };

// processed_messages.event_id is a uuid column: anything else could never be recorded.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const defaultMessageId: MessageIdSelector<unknown> = (value, headers) => {
  if (headers[EventHeaders.eventId]) return headers[EventHeaders.eventId];
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
};

export function decodeHeaders(headers: IHeaders | undefined): MessageHeaders {
  const decoded: MessageHeaders = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const first = Array.isArray(raw) ? raw[0] : raw;
    if (first !== undefined) decoded[name] = first.toString();
  }
  return decoded;
}

/**
 * Turns raw Kafka bytes into a validated message, or says why that is impossible. A failure
 * here is permanent (the same bytes fail the same way every time), so the caller sends the
 * message to the dead-letter topic without retrying.
 */
export function parseMessage<T>(
  raw: Buffer | null,
  rawHeaders: IHeaders | undefined,
  schema: z.ZodType<T>,
  messageId: MessageIdSelector<T> = defaultMessageId,
): ParsedMessage<T> {
  const headers = decodeHeaders(rawHeaders);
  if (raw === null) return { ok: false, reason: 'empty message (tombstone)', headers };
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}`, headers };
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return { ok: false, reason: `schema validation failed: ${issues.join('; ')}`, headers };
  }
  const id = messageId(result.data, headers);
  if (!id || !UUID.test(id)) {
    return { ok: false, reason: `message id ${JSON.stringify(id ?? null)} is not a UUID`, headers };
  }
  return { ok: true, value: result.data, messageId: id.toLowerCase(), headers };
}
