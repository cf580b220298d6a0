import { Kafka, logLevel, type KafkaConfig, type logCreator } from 'kafkajs';
import type { KafkaClientConfig, KafkaLogLevelName } from './messaging-config';

const LOG_LEVELS: Record<KafkaLogLevelName, logLevel> = {
  nothing: logLevel.NOTHING,
  error: logLevel.ERROR,
  warn: logLevel.WARN,
  info: logLevel.INFO,
  debug: logLevel.DEBUG,
};

/** Pure translation, kept apart from `createKafka` so it can be checked without a client. */
export function toKafkaJsConfig(config: KafkaClientConfig, logger?: logCreator): KafkaConfig {
  return {
    brokers: config.brokers,
    clientId: config.clientId,
    ssl: config.ssl,
    sasl: config.sasl,
    connectionTimeout: config.connectionTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    retry: {
      initialRetryTime: config.retry.initialRetryTimeMs,
      maxRetryTime: config.retry.maxRetryTimeMs,
      retries: config.retry.retries,
    },
    logLevel: LOG_LEVELS[config.logLevel],
    logCreator: logger,
  };
}

/**
 * The one place every service gets its Kafka client from (STYLE.md 7), so TLS, SASL and retry
 * behaviour cannot drift between services. Creating the client opens no connection.
 */
export function createKafka(config: KafkaClientConfig, logger?: logCreator): Kafka {
  return new Kafka(toKafkaJsConfig(config, logger));
}

/**
 * Creates the topics that do not exist yet, with their partition count. Producers run with
 * auto-creation off, because a broker-created topic gets the broker's default partition count
 * and would silently cap how far a consumer group can scale.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: readonly { name: string; partitions: number }[],
  replicationFactor = 1,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor })),
    });
  } finally {
    await admin.disconnect();
  }
}
