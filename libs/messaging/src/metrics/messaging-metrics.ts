import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { TopicLag } from './consumer-lag';

/** What messaging reports on a service's /metrics when it is given the service's registry. */
export class MessagingMetrics {
  private readonly deadLetters: Counter<'group' | 'topic' | 'reason'>;
  private readonly lag: Gauge<'group' | 'topic'>;
  private readonly batchMessages: Histogram<'group' | 'topic'>;

  constructor(registry: Registry) {
    this.deadLetters = new Counter({
      name: 'messaging_dead_letters_total',
      help: 'Messages moved to the dead-letter topic, by consumer group, source topic and reason (unparseable, or failed after the retries)',
      labelNames: ['group', 'topic', 'reason'],
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'messaging_consumer_group_lag',
      help: 'Messages on a topic not yet committed by the consumer group (high watermark minus committed offset, summed over partitions), measured every 15 s',
      labelNames: ['group', 'topic'],
      registers: [registry],
    });
    // What a consumer's throughput rides on: each transaction has a fixed cost (claims, commit,
    // offset commit), so many small batches under load mean that cost is paid per few messages.
    this.batchMessages = new Histogram({
      name: 'messaging_consumer_batch_messages',
      help: 'Messages per committed consumer slice (a fetched batch of one partition, at most CONSUMER_MAX_BATCH_SIZE, applied in one transaction), by consumer group and topic',
      labelNames: ['group', 'topic'],
      buckets: [1, 5, 20, 50, 100, 200, 500, 1000],
      registers: [registry],
    });
  }

  deadLettered(letter: { groupId: string; topic: string; attempts: number }): void {
    this.deadLetters.inc({ group: letter.groupId, topic: letter.topic, reason: letter.attempts === 0 ? 'unparseable' : 'failed' });
  }

  batchCommitted(batch: { groupId: string; topic: string; messages: number }): void {
    this.batchMessages.observe({ group: batch.groupId, topic: batch.topic }, batch.messages);
  }

  consumerLag(lags: readonly TopicLag[]): void {
    for (const l of lags) this.lag.set({ group: l.groupId, topic: l.topic }, l.lag);
  }
}
