import type { Admin, Kafka } from 'kafkajs';
import { InterruptibleSleep } from '../interruptible-sleep';
import { consoleLogger, errorMessage, type MessagingLogger } from '../logger';

export interface GroupTopics {
  groupId: string;
  topics: readonly string[];
}

export interface TopicLag {
  groupId: string;
  topic: string;
  /** Messages on the topic's partitions past the group's committed offsets. */
  lag: number;
}

type Offsets = { partition: number; offset: string }[];

/**
 * Lag of one group on one topic: for each partition, high watermark minus the committed offset;
 * a partition the group never committed on counts from its low watermark (the group starts from
 * the beginning). Pure, so the arithmetic is checked without a broker.
 */
export function lagOf(watermarks: readonly { partition: number; high: string; low: string }[], committed: Offsets): number {
  const byPartition = new Map(committed.map((c) => [c.partition, BigInt(c.offset)]));
  let lag = 0n;
  for (const w of watermarks) {
    const at = byPartition.get(w.partition);
    const from = at === undefined || at < 0n ? BigInt(w.low) : at;
    const behind = BigInt(w.high) - from;
    if (behind > 0n) lag += behind;
  }
  return Number(lag);
}

/**
 * Asks the broker, every `intervalMs`, how far each consumer group is behind its topics
 * (kafkajs admin: committed offsets against topic watermarks) and reports it. Periodic rather
 * than at scrape time, so a slow broker never makes /metrics slow; every replica of a group
 * reports the same group-wide number.
 */
export class ConsumerLagMonitor {
  private readonly admin: Admin;
  private readonly sleeper = new InterruptibleSleep();
  private loop?: Promise<void>;
  private stopping = false;
  private connected = false;
  private failing = false;

  constructor(
    kafka: Kafka,
    private readonly groups: readonly GroupTopics[],
    private readonly report: (lags: readonly TopicLag[]) => void,
    private readonly options: { intervalMs?: number; logger?: MessagingLogger } = {},
  ) {
    this.admin = kafka.admin();
  }

  start(): void {
    if (this.loop || this.groups.length === 0) return;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.sleeper.wake();
    await this.loop;
    this.loop = undefined;
    if (this.connected) await this.admin.disconnect().catch(() => undefined);
    this.connected = false;
  }

  /** One measurement of every group's lag. */
  async measure(): Promise<TopicLag[]> {
    if (!this.connected) {
      await this.admin.connect();
      this.connected = true;
    }
    const lags: TopicLag[] = [];
    for (const { groupId, topics } of this.groups) {
      const committed = await this.admin.fetchOffsets({ groupId, topics: [...topics] });
      for (const { topic, partitions } of committed) {
        lags.push({ groupId, topic, lag: lagOf(await this.admin.fetchTopicOffsets(topic), partitions) });
      }
    }
    return lags;
  }

  private async run(): Promise<void> {
    const logger = this.options.logger ?? consoleLogger;
    while (!this.stopping) {
      try {
        this.report(await this.measure());
        if (this.failing) logger.log('consumer lag: measuring again');
        this.failing = false;
      } catch (error) {
        // Said once per outage, not every interval; the gauges keep their last values.
        if (!this.failing) logger.warn('consumer lag: cannot measure', { error: errorMessage(error) });
        this.failing = true;
      }
      if (!this.stopping) await this.sleeper.sleep(this.options.intervalMs ?? 15_000);
    }
  }
}
