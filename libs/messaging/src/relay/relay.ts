import type { CheckpointStore, EventStore, LogPosition, StoredEvent } from '@incident/event-store';
import type { Kafka, Producer } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { InterruptibleSleep } from '../interruptible-sleep';
import { consoleLogger, errorMessage, type MessagingLogger } from '../logger';
import { AdvisoryLock } from './advisory-lock';
import { DeadlineExceeded, withDeadline } from './deadline';
import { chunkBySize, groupByTopic, type TopicRouter } from './event-message';
import { FastDefaultPartitioner } from './partitioner';
import { sendTraced } from '../tracing/publish-spans';

const MAX_REQUEST_BYTES = 512 * 1024;

export interface RelayDependencies {
  kafka: Kafka;
  dataSource: DataSource;
  store: EventStore;
  checkpoints: CheckpointStore;
}

export interface RelayOptions {
  route: TopicRouter;
  /** Checkpoint name; also names the advisory lock unless `lockKey` is given. */
  name?: string;
  /**
   * Database-wide identity of the single-publisher lock. Default `incident-relay:<schema>:<name>`
   * with the DataSource's schema, so relays of two logs in one database (a test's scratch
   * schema next to the real one) do not wait on each other.
   */
  lockKey?: string;
  batchSize?: number;
  /** Wait between reads once the log is drained. */
  pollIntervalMs?: number;
  /** How often a replica without the lock asks for it again. */
  lockRetryMs?: number;
  /** Ceiling of the exponential back-off after a failed batch. */
  maxBackoffMs?: number;
  /**
   * How long one batch's sends may take before the producer is presumed wedged (kafkajs has known
   * cases of a request that never settles; one stalled this relay with no error at all): the batch
   * fails, the producer is replaced, and the batch is sent again from the checkpoint. Default
   * 120 s, above what kafkajs's own request timeout and retries take to give up on a broker.
   */
  sendTimeoutMs?: number;
  logger?: MessagingLogger;
  /**
   * Crash points for tests. `afterPublishBeforeCheckpoint` runs once the broker acknowledged
   * a batch and before the checkpoint moves: the window that must cause republishing, not loss.
   */
  hooks?: { afterPublishBeforeCheckpoint?: (batch: { events: readonly StoredEvent[]; position: LogPosition }) => unknown };
}

export interface RelayStatus {
  running: boolean;
  holdsLock: boolean;
  position?: LogPosition;
  lastError?: string;
}

/**
 * Publishes committed events from the log to Kafka (the log is the outbox, DESIGN.md "Kafka").
 * Each batch is: read after the checkpoint, send with acks=-1, then store the new checkpoint.
 * A crash anywhere in between leaves the checkpoint behind what was sent, so the next holder of
 * the lock sends those events again: at-least-once, never a gap.
 */
export class Relay {
  private readonly name: string;
  private readonly lock: AdvisoryLock;
  private producer: Producer;
  private readonly sleeper = new InterruptibleSleep();
  private readonly logger: MessagingLogger;
  private loop?: Promise<void>;
  private stopping = false;
  private producerConnected = false;
  private position?: LogPosition;
  private lastError?: string;
  /** The page after `position`, read while the previous page was being published. */
  private prefetched?: Promise<Page>;

  constructor(
    private readonly deps: RelayDependencies,
    private readonly options: RelayOptions,
  ) {
    this.name = options.name ?? 'relay';
    const schema = (deps.dataSource.options as { schema?: string }).schema ?? 'public';
    this.lock = new AdvisoryLock(deps.dataSource, options.lockKey ?? `incident-relay:${schema}:${this.name}`);
    this.logger = options.logger ?? consoleLogger;
    this.producer = this.newProducer();
  }

  private newProducer(): Producer {
    // One request in flight: a retried request cannot overtake the next one and reorder a key.
    // Auto-creation off: a broker-made topic gets default partitions (see ensureTopics).
    // Keys land where kafkajs's default partitioner puts them, computed faster (see partitioner.ts).
    return this.deps.kafka.producer({ allowAutoTopicCreation: false, maxInFlightRequests: 1, createPartitioner: FastDefaultPartitioner });
  }

  /** Starts the loop in the background; waiting for the lock must not block a service's boot. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  /** Lets the in-flight batch finish (published and checkpointed), then releases everything. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.loop;
    this.loop = undefined;
  }

  status(): RelayStatus {
    return { running: this.loop !== undefined, holdsLock: this.lock.held, position: this.position, lastError: this.lastError };
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (!(await this.ensureLeadership())) {
          await this.sleeper.sleep(this.options.lockRetryMs ?? 1_000);
          continue;
        }
        const sent = await this.relayBatch();
        failures = 0;
        this.lastError = undefined;
        // Only an empty read waits: after a page, the next one is already being read, and
        // waiting would add the poll interval to every event's way through the pipeline.
        if (sent === 0) await this.sleeper.sleep(this.options.pollIntervalMs ?? 200);
      } catch (error) {
        failures += 1;
        await this.dropPrefetched();
        this.lastError = errorMessage(error);
        this.logger.error(`relay ${this.name}: batch failed, retrying from the checkpoint`, { error: this.lastError, failures });
        if (error instanceof DeadlineExceeded) this.replaceProducer();
        // Start over from the stored checkpoint, under a freshly taken lock: whatever was in
        // flight is sent again rather than assumed delivered.
        await this.lock.release();
        await this.sleeper.sleep(Math.min((this.options.pollIntervalMs ?? 200) * 2 ** failures, this.options.maxBackoffMs ?? 10_000));
      }
    }
    await this.dropPrefetched();
    await this.lock.release();
    if (this.producerConnected) await this.producer.disconnect().catch(() => undefined);
    this.producerConnected = false;
  }

  /**
   * Abandons a producer whose send never settled for a new one (connected with the lock next
   * time). The old one's disconnect is not awaited: it waits for the very request that hangs. If
   * that request reaches the broker after all, its events arrive twice, which consumers absorb
   * by event id, as they absorb any resend.
   */
  private replaceProducer(): void {
    const wedged = this.producer;
    this.producer = this.newProducer();
    this.producerConnected = false;
    void wedged.disconnect().catch(() => undefined);
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 500;
  }

  private async ensureLeadership(): Promise<boolean> {
    if (this.lock.held) return true;
    if (!(await this.lock.tryAcquire())) return false;
    // Another replica may have moved the checkpoint while this one waited.
    this.position = await this.deps.checkpoints.load(this.name);
    if (!this.producerConnected) {
      await this.producer.connect();
      this.producerConnected = true;
    }
    this.logger.log(`relay ${this.name}: holds the lock, resuming`, { position: this.position });
    return true;
  }

  /** @returns how many events the batch read from the log. */
  private async relayBatch(): Promise<number> {
    const from = this.position ?? (await this.deps.checkpoints.load(this.name));
    const page = this.prefetched ?? this.read(from);
    this.prefetched = undefined;
    const { events, position } = await page;
    if (events.length === 0) return 0;
    // The next page is read while this one is published: the database and the broker round
    // trips overlap. Only one page ahead, and nothing read ahead counts until it is published.
    this.prefetched = this.read(position);
    const topicMessages = groupByTopic(events, this.options.route);
    // Alongside the sends: one round trip less per batch, and it still fails the batch (no
    // checkpoint) when the lock's session is gone.
    const held = this.lock.assertHeld();
    held.catch(() => undefined);
    if (topicMessages.length > 0) {
      // acks=-1: every in-sync replica has the batch before it counts as delivered. Requests stay
      // well under the broker's 1 MiB message limit however many events one stream contributes.
      const sendTimeoutMs = this.options.sendTimeoutMs ?? 120_000;
      for (const request of chunkBySize(topicMessages, MAX_REQUEST_BYTES)) {
        const sent = sendTraced(request, () => this.producer.sendBatch({ acks: -1, topicMessages: request }));
        await withDeadline(sent, sendTimeoutMs, `sendBatch of ${request.reduce((n, t) => n + t.messages.length, 0)} messages`);
      }
    }
    await this.options.hooks?.afterPublishBeforeCheckpoint?.({ events, position });
    await held;
    // Not waiting for the WAL flush: a checkpoint lost with the database server only makes the
    // relay send those events again, which consumers absorb by event id.
    await this.deps.checkpoints.store(this.name, position, undefined, { synchronousCommit: false });
    this.position = position;
    return events.length;
  }

  private read(after: LogPosition): Promise<Page> {
    const page = this.deps.store.readAll(after, { limit: this.batchSize });
    // Awaited by the next batch, or dropped after a failure: never an unhandled rejection.
    page.catch(() => undefined);
    return page;
  }

  /** After a failure the relay starts over from the stored checkpoint, not from a page read ahead. */
  private async dropPrefetched(): Promise<void> {
    const page = this.prefetched;
    this.prefetched = undefined;
    await page?.catch(() => undefined);
  }
}

type Page = { events: StoredEvent[]; position: LogPosition };
