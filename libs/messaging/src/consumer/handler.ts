import type { EntityManager } from 'typeorm';
import type { z } from 'zod';
import type { MessageHeaders } from './parse-message';

/** What the messages of one batch share: one partition of one topic, one transaction. */
export interface BatchContext {
  /** The transaction that also records the messages as processed: write every effect through it. */
  manager: EntityManager;
  topic: string;
  partition: number;
}

export interface HandlerContext extends BatchContext {
  messageId: string;
  offset: string;
  headers: MessageHeaders;
}

/** A parsed message whose claim this transaction just took: its effect has not been applied yet. */
export interface ClaimedMessage<T> {
  value: T;
  messageId: string;
  offset: string;
  headers: MessageHeaders;
}

export interface MessageHandler<T = unknown> {
  topic: string;
  schema: z.ZodType<T>;
  /** One message. Always used when a message is retried on its own (after its batch failed). */
  handle(message: T, context: HandlerContext): Promise<void>;
  /**
   * Optional: the newly claimed messages of a batch, in partition order, in one transaction.
   * Lets a handler read and write once per batch instead of once per message. Without it the
   * batch calls `handle` for each message in order, still in the one transaction.
   */
  handleBatch?(messages: readonly ClaimedMessage<T>[], context: BatchContext): Promise<void>;
  /** Which id de-duplicates; default: the `event-id` header, else the body's `id`. */
  messageId?(message: T, headers: MessageHeaders): string | undefined;
  /**
   * Optional: whether the handler acts on events of this type (the `event-type` header). A message
   * whose header names a type it does not act on is passed by: not parsed, not claimed, not
   * handled, its offset committed with the rest. For a topic that carries mostly other services'
   * events (on the incidents topic, a consumer that acts on a few of its types) that is most of the consumer's
   * work and a processed_messages row per message, for no effect. A message without the header
   * is parsed and handled as always.
   */
  handles?(eventType: string): boolean;
}

/** Keeps `T` inferred from the schema when a handler is written inline. */
export function defineHandler<T>(handler: MessageHandler<T>): MessageHandler<T> {
  return handler;
}

/**
 * `handle` threw on this message of a batch. The batch's try then counts as the message's first
 * attempt, so a poison message gets `maxAttempts` handler calls in all, not one more.
 */
export class MessageFailure extends Error {
  constructor(
    readonly messageId: string,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'MessageFailure';
  }
}

/** Runs a batch's claimed messages through the handler, batch-wise when it can. */
export async function handleClaimed<T>(
  handler: MessageHandler<T>,
  messages: readonly ClaimedMessage<T>[],
  context: BatchContext,
): Promise<void> {
  if (messages.length === 0) return;
  if (handler.handleBatch) return handler.handleBatch(messages, context);
  for (const { value, messageId, offset, headers } of messages) {
    try {
      await handler.handle(value, { ...context, messageId, offset, headers });
    } catch (error) {
      throw new MessageFailure(messageId, error);
    }
  }
}
