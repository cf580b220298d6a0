import { EventHeaders } from '@incident/contracts';
import type { Consumer, EachBatchPayload, EachMessagePayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { consoleLogger, errorMessage, type MessagingLogger } from '../logger';
import { buildDeadLetterMessage } from './dead-letter';
import { applyBatch } from './batch-transaction';
import { type ClaimedMessage, MessageFailure, type MessageHandler } from './handler';
import { parseMessage, type MessageHeaders, type ParsedMessage } from './parse-message';
import { untraced } from '../tracing/publish-spans';
import { tracedHandler } from '../tracing/traced-handler';
import { claimMessage } from './processed-messages';

// The handler types used to live here; re-exported so that existing imports keep working.
export { defineHandler, type BatchContext, type ClaimedMessage, type HandlerContext, type MessageHandler } from './handler';

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
  /** Most messages per transaction; a fetched batch larger than this is applied in slices. */
  maxBatchSize?: number;
  /**
   * Partitions processed at once, each its own batches and transactions (kafkajs default 1).
   * Order is per partition, so this keeps every guarantee; it overlaps the database round trips
   * of different partitions, which is what a consumer mostly waits on.
   */
  partitionsConsumedConcurrently?: number;
  logger?: MessagingLogger;
  /** Told of every message sent to the dead-letter topic (metrics); attempts 0: it could not be parsed. */
  onDeadLettered?: (letter: { groupId: string; topic: string; attempts: number }) => void;
  /**
   * Told of every slice committed in one go (metrics): how many messages it covered, handled,
   * passed by, duplicate or unparseable alike (one transaction, or none when nothing was claimed).
   */
  onBatchCommitted?: (batch: { groupId: string; topic: string; messages: number }) => void;
}

/** 'passed-by': an event type the handler does not act on (MessageHandler.handles). */
export type Outcome = 'applied' | 'duplicate' | 'dead-lettered' | 'passed-by';

type Where = { topic: string; partition: number; offset: string };
/** Attempts a message already had, in a batch that failed on it. */
type Spent = { messageId: string; attempts: number; error: unknown };

const DEFAULT_MAX_BATCH_SIZE = 500;

/**
 * Exactly-once effects over at-least-once delivery. A message's effect runs in the database
 * transaction that claims (consumer, message id) in processed_messages; a redelivered message
 * finds its claim and changes nothing.
 *
 * Messages come a fetched batch of one partition at a time, applied in ONE transaction (claims
 * in one statement, then the handler, in order). Only after it committed are the offsets
 * resolved and committed, by hand (autoCommit off, auto-resolve off): a crash between the two
 * only causes a redelivery, which the claims absorb; the reverse order (commit, then crash
 * before the transaction) would lose effects. kafkajs's auto-commit would commit "previously
 * consumed offsets" on errors; committing explicitly keeps the rule visible.
 *
 * When a batch's transaction fails, nothing of it was stored, and its messages are processed
 * again one by one, each in its own transaction with bounded retries and then the dead-letter
 * topic: one poison message costs the batch its speed, never the other messages their effects,
 * and never blocks the partition.
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
      // Each message runs in a span continuing its own trace (see tracedHandler).
      this.handlers.set(handler.topic, tracedHandler(handler));
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
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.processBatch(payload),
    });
  }

  /** Finishes the slice in hand, leaves the group, and closes both clients. */
  async stop(): Promise<void> {
    await this.consumer.disconnect();
    await this.deadLetters.disconnect();
  }

  private get consumerName(): string {
    return this.options.consumerName ?? this.options.groupId;
  }

  private handlerFor(topic: string): MessageHandler<unknown> {
    const handler = this.handlers.get(topic);
    if (!handler) throw new Error(`no handler for topic ${topic}`);
    return handler;
  }

  /** kafkajs's `eachBatch`: the batch in slices of at most maxBatchSize, each one transaction. */
  async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    const size = this.options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    for (let from = 0; from < batch.messages.length; from += size) {
      // Stopping, or the partition was sought / reassigned: what is not resolved is fetched again.
      if (!isRunning() || isStale()) return;
      await this.processSlice(batch.messages.slice(from, from + size), payload);
      // Between transactions, never inside one: a rebalance error must reach kafkajs, not roll back.
      await heartbeat();
    }
  }

  private async processSlice(messages: KafkaMessage[], payload: EachBatchPayload): Promise<void> {
    const { topic, partition } = payload.batch;
    const handler = this.handlerFor(topic);
    const parsed = messages.filter((message) => !passesBy(handler, message)).map((message) => ({ message, parsed: this.parse(handler, message) }));
    const claimable: ClaimedMessage<unknown>[] = [];
    for (const { message, parsed: p } of parsed) {
      if (p.ok) claimable.push({ value: p.value, messageId: p.messageId, offset: message.offset, headers: p.headers });
    }
    try {
      await applyBatch(this.deps.dataSource, handler, { schema: this.options.schema, consumer: this.consumerName, topic, partition }, claimable);
    } catch (error) {
      this.logger.warn(`consumer ${this.options.groupId}: a batch of ${messages.length} failed; taking its messages one by one`, {
        topic,
        partition,
        offsets: `${messages[0].offset}-${messages[messages.length - 1].offset}`,
        error: errorMessage(error),
      });
      const spent = error instanceof MessageFailure ? { messageId: error.messageId, attempts: 1, error: error.cause } : undefined;
      return this.processOneByOne(messages, payload, spent);
    }
    for (const { message, parsed: p } of parsed) {
      // Poison: the same bytes fail the same way on every attempt, so retrying cannot help.
      if (!p.ok) await this.deadLetter({ topic, partition, offset: message.offset }, message, `unparseable: ${p.reason}`, 0, false);
    }
    const last = messages[messages.length - 1].offset;
    payload.resolveOffset(last);
    await this.commit({ topic, partition, offset: last });
    this.options.onBatchCommitted?.({ groupId: this.options.groupId, topic, messages: messages.length });
  }

  /** The slow, isolating path: each message its own transaction, retries and dead letter. */
  private async processOneByOne(messages: KafkaMessage[], payload: EachBatchPayload, spent?: Spent): Promise<void> {
    const { topic, partition } = payload.batch;
    for (const message of messages) {
      if (!payload.isRunning() || payload.isStale()) return;
      await this.process({ topic, partition, message, heartbeat: payload.heartbeat, pause: payload.pause }, spent);
      payload.resolveOffset(message.offset);
      await payload.heartbeat();
    }
  }

  private parse(handler: MessageHandler<unknown>, message: KafkaMessage): ParsedMessage<unknown> {
    return parseMessage(message.value, message.headers, handler.schema, handler.messageId?.bind(handler));
  }

  /**
   * One message, start to finish, in a transaction of its own. Throws only to get a redelivery.
   * `spent`: the attempt its failed batch already made on it, if it is that message.
   */
  async process({ topic, partition, message, heartbeat }: EachMessagePayload, spent?: Spent): Promise<Outcome> {
    const handler = this.handlerFor(topic);
    const where = { topic, partition, offset: message.offset };
    if (passesBy(handler, message)) {
      await this.commit(where);
      return 'passed-by';
    }
    const parsed = this.parse(handler, message);
    if (!parsed.ok) {
      await this.deadLetter(where, message, `unparseable: ${parsed.reason}`, 0);
      return 'dead-lettered';
    }
    const earlier = spent?.messageId === parsed.messageId ? spent : undefined;
    const attempt = await this.applyWithRetries(handler, parsed.value, parsed.messageId, parsed.headers, where, heartbeat, earlier);
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
    where: Where,
    heartbeat: () => Promise<void>,
    earlier?: Spent,
  ): Promise<{ ok: true; applied: boolean } | { ok: false; reason: string; attempts: number }> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    let lastError: unknown = earlier?.error;
    for (let attempt = (earlier?.attempts ?? 0) + 1; attempt <= maxAttempts; attempt += 1) {
      if (earlier && attempt === earlier.attempts + 1) await backOff(this.options.retryBackoffMs, earlier.attempts, heartbeat);
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
        if (attempt < maxAttempts) await backOff(this.options.retryBackoffMs, attempt, heartbeat);
      }
    }
    return { ok: false, reason: `handler failed after ${maxAttempts} attempts: ${errorMessage(lastError)}`, attempts: maxAttempts };
  }

  /**
   * If the send fails the error propagates: the offset stays uncommitted and unresolved, and
   * kafkajs delivers the message again. Committing first would lose it. `commit` false: the
   * caller commits a whole slice once its dead letters are all sent.
   */
  private async deadLetter(where: Where, message: KafkaMessage, reason: string, attempts: number, commit = true): Promise<void> {
    const letter = buildDeadLetterMessage({ ...where, groupId: this.options.groupId, reason, attempts, failedAt: new Date(), message });
    // Untraced: the dead letter keeps its original's traceparent, so it leads back to that trace.
    await untraced(() => this.deadLetters.send({ topic: this.options.deadLetterTopic, acks: -1, messages: [letter] }));
    this.logger.error(`consumer ${this.options.groupId}: message moved to ${this.options.deadLetterTopic}`, { ...where, reason });
    this.options.onDeadLettered?.({ groupId: this.options.groupId, topic: where.topic, attempts });
    if (commit) await this.commit(where);
  }

  private async commit({ topic, partition, offset }: Where): Promise<void> {
    // A committed offset names the next message to read, hence + 1.
    await this.consumer.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
  }
}

/** Whether the message's event-type header names a type the handler does not act on. */
function passesBy(handler: MessageHandler<unknown>, message: KafkaMessage): boolean {
  if (!handler.handles) return false;
  const raw = message.headers?.[EventHeaders.eventType];
  const type = Array.isArray(raw) ? raw[0] : raw;
  return type !== undefined && !handler.handles(type.toString());
}

/** The pause after failed attempt n: retryBackoffMs, doubling per attempt. */
async function backOff(retryBackoffMs = 200, attempt: number, heartbeat: () => Promise<void>): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, retryBackoffMs * 2 ** (attempt - 1)));
  // Long back-offs must not cost the group membership (session timeout).
  await heartbeat();
}
