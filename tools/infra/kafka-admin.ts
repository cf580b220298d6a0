// Talking to a broker with the same client the services use (kafkajs), so "ready" means ready
// for them: metadata answers and topics can be created, not merely "the port is open".
import { Kafka, logLevel, type Admin } from 'kafkajs';

function admin(brokers: string[], timeoutMs: number): Admin {
  const kafka = new Kafka({
    clientId: 'tools-infra',
    brokers,
    connectionTimeout: timeoutMs,
    requestTimeout: timeoutMs * 2,
    retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 },
    logLevel: logLevel.NOTHING, // a refused connection while probing is expected, not news
  });
  return kafka.admin();
}

/** True if a broker at `brokers` answers describeCluster within a few seconds. */
export async function brokerAnswers(
  brokers: string[],
  timeoutMs = 3_000,
): Promise<boolean> {
  const a = admin(brokers, timeoutMs);
  try {
    await a.connect();
    await a.describeCluster();
    return true;
  } catch {
    return false;
  } finally {
    await a.disconnect().catch(() => undefined);
  }
}

/**
 * Polls until the broker answers, `deadlineMs` passes, or `alive()` says the process died
 * (then there is no point in waiting: the log says why).
 */
export async function waitForBroker(
  brokers: string[],
  deadlineMs: number,
  alive: () => boolean,
): Promise<'ready' | 'timeout' | 'died'> {
  const end = Date.now() + deadlineMs;
  while (Date.now() < end) {
    if (!alive()) return 'died';
    if (await brokerAnswers(brokers, 1_500)) return 'ready';
    await new Promise((r) => setTimeout(r, 500));
  }
  return 'timeout';
}

export interface TopicSpec {
  name: string;
  partitions: number;
}

/** Creates the topics that are missing (replication factor 1: single-node broker). */
export async function ensureTopics(
  brokers: string[],
  topics: readonly TopicSpec[],
): Promise<string[]> {
  const a = admin(brokers, 5_000);
  await a.connect();
  try {
    const existing = new Set(await a.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      await a.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: 1,
        })),
      });
    }
    // Existing topics are left alone: adding partitions would move keys to other partitions
    // and break per-key order, so a mismatch is reported for a person to decide.
    const wanted = new Map(
      topics
        .filter((t) => existing.has(t.name))
        .map((t) => [t.name, t.partitions]),
    );
    if (wanted.size > 0) {
      const meta = await a.fetchTopicMetadata({ topics: [...wanted.keys()] });
      for (const t of meta.topics) {
        const want = wanted.get(t.name);
        if (want !== undefined && t.partitions.length !== want) {
          console.warn(
            `[infra] topic ${t.name} has ${t.partitions.length} partitions, contracts say ${want}`,
          );
        }
      }
    }
    return missing.map((t) => t.name);
  } finally {
    await a.disconnect();
  }
}
