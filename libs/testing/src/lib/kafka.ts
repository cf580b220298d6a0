import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

// Helpers for *.int.spec.ts only: the real broker that `npm run infra:up` starts, no mocks.
// Plain kafkajs, not @incident/messaging: messaging's own integration specs use this lib.

const WORKSPACE = path.resolve(__dirname, '../../../..');

/** KAFKA_BROKERS from the environment, else what `infra:up` wrote to .cache/infra.env. */
export function kafkaBrokers(): string {
  if (process.env['KAFKA_BROKERS']) return process.env['KAFKA_BROKERS'];
  try {
    const line = readFileSync(path.join(WORKSPACE, '.cache/infra.env'), 'utf8')
      .split('\n')
      .find((l) => l.startsWith('KAFKA_BROKERS='));
    if (line) return line.slice('KAFKA_BROKERS='.length).trim();
  } catch {
    // no infra.env: the local default below
  }
  return '127.0.0.1:9092';
}

export function testKafka(clientId: string): Kafka {
  return new Kafka({ clientId, brokers: kafkaBrokers().split(','), logLevel: logLevel.NOTHING });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function createTopics(kafka: Kafka, names: string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ waitForLeaders: true, topics: names.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, names: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: names });
  } finally {
    await admin.disconnect();
  }
}

/** How many messages of `topic` the group has committed as processed (sum over partitions). */
export async function committedCount(kafka: Kafka, groupId: string, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  } finally {
    await admin.disconnect();
  }
}

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export const quietLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
