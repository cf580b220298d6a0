// The raw ceilings the pipeline bench prints next to its figures, measured in the same run.
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { CheckpointStore, EventStore } from '../../libs/event-store/src';
import { Relay } from '../../libs/messaging/src';
import { payload } from './event-store-support';

/** Messages/s of kafkajs alone: produce N messages in batches, consume them all, end to end. */
export async function kafkaCeiling(brokers: string[], n: number): Promise<number> {
  const kafka = new Kafka({ clientId: 'bench', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench-ceiling-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  const consumer = kafka.consumer({ groupId: topic });
  const producer = kafka.producer();
  try {
    await Promise.all([consumer.connect(), producer.connect()]);
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    await consumer.run({ eachBatch: async ({ batch }) => { seen += batch.messages.length; if (seen >= n) done(); } });
    const value = JSON.stringify(payload(0));
    const started = performance.now();
    for (let i = 0; i < n; i += 1_000) {
      const messages = Array.from({ length: Math.min(1_000, n - i) }, (_, k) => ({ key: `k-${(i + k) % 500}`, value }));
      await producer.send({ topic, acks: -1, messages });
    }
    await all;
    return n / ((performance.now() - started) / 1000);
  } finally {
    await Promise.allSettled([consumer.disconnect(), producer.disconnect()]);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}

/**
 * Signals/s appended one append() call each, 1,000 calls per transaction, one new stream each, 4
 * writers: a round trip per signal, so it measures latency, not what the log can take (appendMany).
 */
export async function appendCeiling(ds: DataSource, total: number): Promise<number> {
  const store = new EventStore(ds);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async (_, w) => {
      for (let done = 0; done < total / 4; done += 1_000) {
        await ds.transaction(async (manager) => {
          for (let k = 0; k < 1_000; k++) {
            const event = { id: randomUUID(), type: 'BenchSignal', schemaVersion: 1, occurredAt: new Date(), payload: payload(k), metadata: {} };
            await store.append(`bench-${w}-${done + k}-${randomUUID()}`, [event], { expectedVersion: 'any', manager });
          }
        });
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** The same signals appended as ingest now appends a request: one appendMany of 1,000 new streams per transaction, 4 writers. */
export async function appendManyCeiling(ds: DataSource, total: number): Promise<number> {
  const store = new EventStore(ds);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 4 }, async (_, w) => {
      for (let done = 0; done < total / 4; done += 1_000) {
        const appends = Array.from({ length: 1_000 }, (_, k) => ({
          streamId: `bench-${w}-${done + k}-${randomUUID()}`,
          events: [{ id: randomUUID(), type: 'BenchSignal', schemaVersion: 1, occurredAt: new Date(), payload: payload(k), metadata: {} }],
          expectedVersion: 'no_stream' as const,
        }));
        await ds.transaction((manager) => store.appendMany(appends, { manager }));
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/**
 * Events/s the relay alone moves from the log to Kafka (read, publish with acks=-1, checkpoint):
 * every event already in `ds`'s log, to a scratch topic of 6 partitions. Every signal crosses
 * the relay twice (received, classified), so the pipeline's ceiling is half of it at most.
 */
export async function relayCeiling(ds: DataSource, brokers: string[], batchSize: number): Promise<{ events: number; perSecond: number }> {
  const kafka = new Kafka({ clientId: 'bench-relay', brokers, logLevel: logLevel.NOTHING });
  const topic = `bench-relay-${randomBytes(4).toString('hex')}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  const schema = (ds.options as { schema?: string }).schema;
  const [{ n, last }]: { n: number; last: string }[] = await ds.query(`SELECT count(*)::int AS n, max(global_position)::text AS last FROM "${schema}".events`);
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const relay = new Relay(
    { kafka, dataSource: ds, store: new EventStore(ds), checkpoints: new CheckpointStore(ds) },
    { route: () => topic, name: `bench-relay-${topic}`, batchSize, logger: quiet },
  );
  try {
    const started = performance.now();
    relay.start();
    while (relay.status().position?.globalPosition !== last) {
      const { lastError } = relay.status();
      if (lastError) throw new Error(`relay ceiling: ${lastError}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return { events: n, perSecond: n / ((performance.now() - started) / 1000) };
  } finally {
    await relay.stop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }
}
