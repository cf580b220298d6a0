import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { z } from 'zod';
import { consoleLogger, errorMessage, type MessagingLogger } from '../logger';
import { buildDeadLetterMessage } from './dead-letter';
import { parseMessage, type MessageHeaders } from './parse-message';
import { claimMessage } from './processed-messages';

export interface HandlerContext {
  /** The transaction that also records the message as processed: write every effect through it. */
  manager: EntityManager;
  messageId: string;
  topic: string;
  partition: number;
  offset: string;
  headers: MessageHeaders;
}

export interface MessageHandler<T = unknown> {
  topic: string;
  schema: z.ZodType<T>;
  handle(message: T, context: HandlerContext): Promise<void>;
  /** Which id de-duplicates; default: the `event-id` header, else the body's `id`. */
  messageId?(message: T, headers: MessageHeaders): string | undefined;
}

/** Keeps `T` inferred from the schema when a handler is written inline. */
export function defineHandler<T>(handler: MessageHandler<T>): MessageHandler<T> {
  return handler;
}

export interface IdempotentConsumerOptions {
  /** One group per service: each service sees every message once, replicas share partitions. */
  groupId: string;
  /** Recorded in processed_messages; defaults to the group id. */
  consumerName?: string;
  /** Schema that holds processed_messages (the event store's schema). */
  schema: string;
  deadLetterTopic: string;
  maxAttempts?: number;
  /** First retry delay; doubles per attempt. */
  retryBackoffMs?: number;
  /** Where a brand-new group starts; default true, so a new service misses no earlier event. */
  fromBeginning?: boolean;
  /** Fetch long-poll; also how long `stop()` may wait for the fetch in flight (kafkajs: 5000). */
  maxWaitTimeMs?: number;
  logger?: MessagingLogger;
}

export type Outcome = 'applied' | 'duplicate' | 'dead-lettered';

/**
 * Exactly-once effects over at-least-once delivery. Each message's effect runs in one database
 * transaction that first claims (consumer, message id) in processed_messages; a redelivered
 * message finds its claim and changes nothing.
 *
 * Offsets are committed by hand (autoCommit off), after the transaction committed, one message
 * at a time. A crash between the two only causes a redelivery, which the claim absorbs; the
 * reverse order (commit, then crash before the transaction) would lose the effect. kafkajs's
 * auto-commit would also only commit after `eachMessage` resolved, but it batches commits and
 * commits "previously consumed offsets" on errors; committing explicitly keeps the rule visible
 * and the redelivery window to one message.
 */
export class IdempotentConsumer {
  private readonly handlers = new Map<string, MessageHandler<unknown>>();
  private readonly consumer: Consumer;
  private readonly deadLetters: Producer;
  private readonly logger: MessagingLogger;

  constructor(
    private readonly deps: { kafka: Kafka; dataSource: DataSource },
    handlers: readonly MessageHandler<unknown>[],
    private readonly options: IdempotentConsumerOptions,
  ) {
    for (const handler of handlers) {
      if (this.handlers.has(handler.topic)) throw new Error(`two handlers for topic ${handler.topic}`);
      this.handlers.set(handler.topic, handler);
    }
    this.logger = options.logger ?? consoleLogger;
    this.consumer = deps.kafka.consumer({
      groupId: options.groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: options.maxWaitTimeMs,
    });
    this.deadLetters = deps.kafka.producer({ allowAutoTopicCreation: false });
  }

  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [...this.handlers.keys()], fromBeginning: this.options.fromBeginning ?? true });
    await this.consumer.run({ autoCommit: false, eachMessage: (payload) => this.process(payload).then(() => undefined) });
  }

  /** Finishes the message in hand, leaves the group, and closes both clients. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.deadLetters.disconnect();
  }

  private get consumerName(): string {
    return this.options.consumerName ?? this.options.groupId;
  }

  /** One message, start to finish; kafkajs's `eachMessage`. Throws only to get a redelivery. */
  async process({ topic, partition, message, heartbeat }: EachMessagePayload): Promise<Outcome> {
    const handler = this.handlers.get(topic);
    if (!handler) throw new Error(`no handler for topic ${topic}`);
    const parsed = parseMessage(message.value, message.headers, handler.schema, handler.messageId?.bind(handler));
    const where = { topic, partition, offset: message.offset };
    if (!parsed.ok) {
      // Poison: the same bytes fail the same way on every attempt, so retrying cannot help.
      await this.deadLetter(where, message, `unparseable: ${parsed.reason}`, 0);
      return 'dead-lettered';
    }
    const attempt = await this.applyWithRetries(handler, parsed.value, parsed.messageId, parsed.headers, where, heartbeat);
    if (!attempt.ok) {
      // During a database outage every message would fail its attempts: that is no reason to
      // empty the partition into the DLQ. Throwing leaves the offset where it is and kafkajs
      // redelivers once it has restarted the consumer.
      await this.deps.dataSource.query('SELECT 1');
      await this.deadLetter(where, message, attempt.reason, attempt.attempts);
      return 'dead-lettered';
    }
    // Outside the retry loop on purpose: a failed commit is not a handler failure. It propagates,
    // kafkajs delivers the message again, and the claim turns that into a 'duplicate'.
    await this.commit(where);
    return attempt.applied ? 'applied' : 'duplicate';
  }

  private async applyWithRetries(
    handler: MessageHandler<unknown>,
    value: unknown,
    messageId: string,
    headers: MessageHeaders,
    where: { topic: string; partition: number; offset: string },
    heartbeat: () => Promise<void>,
  ): Promise<{ ok: true; applied: boolean } | { ok: false; reason: string; attempts: number }> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    let lastError: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      try {
        const applied = await this.deps.dataSource.transaction(async (manager) => {
          if (!(await claimMessage(manager, this.options.schema, this.consumerName, messageId))) return false;
          await handler.handle(value, { manager, messageId, headers, ...where });
          return true;
        });
        return { ok: true, applied };
      } catch (error) {
        lastError = error;
        this.logger.warn(`consumer ${this.options.groupId}: attempt ${attempt}/${maxAttempts} failed`, { ...where, error: errorMessage(error) });
        if (attempt < maxAttempts) {
          await sleep((this.options.retryBackoffMs ?? 200) * 2 ** (attempt - 1));
          // Long back-offs must not cost the group membership (session timeout).
          await heartbeat();
        }
      }
    }
    return { ok: false, reason: `handler failed after ${maxAttempts} attempts: ${errorMessage(lastError)}`, attempts: maxAttempts };
  }

  private async deadLetter(
    where: { topic: string; partition: number; offset: string },
    message: EachMessagePayload['message'],
    reason: string,
    attempts: number,
  ): Promise<void> {
    const letter = buildDeadLetterMessage({ ...where, groupId: this.options.groupId, reason, attempts, failedAt: new Date(), message });
    // If this send fails the error propagates: the offset stays uncommitted and unresolved, and
    // kafkajs delivers the message again. Committing here would lose it.
    await this.deadLetters.send({ topic: this.options.deadLetterTopic, acks: -1, messages: [letter] });
    this.logger.error(`consumer ${this.options.groupId}: message moved to ${this.options.deadLetterTopic}`, { ...where, reason });
    await this.commit(where);
  }

  private async commit({ topic, partition, offset }: { topic: string; partition: number; offset: string }): Promise<void> {
    // A committed offset names the next message to read, hence + 1.
    await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
