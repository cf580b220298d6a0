import { Topics } from '@incident/contracts';
import { z } from 'zod';

/**
 * Messaging configuration, read once at the edge (a service's main or its Nest config factory)
 * from environment variables. Nothing below this file reads `process.env` (STYLE.md 9).
 *
 * The schema is keyed by the variable names themselves, so every validation issue already
 * carries the name of the variable an operator has to fix.
 */

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = (fallback: boolean) => z.stringbool().default(fallback);

const brokerList = z
  .string({ error: 'is not set; give a comma-separated list of host:port, e.g. 127.0.0.1:9092' })
  .transform((raw) => raw.split(',').map((b) => b.trim()).filter((b) => b.length > 0))
  .pipe(
    z
      .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'each broker must be host:port'))
      .min(1, 'must name at least one broker (host:port)'),
  );

const saslMechanisms = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

const EnvSchema = z
  .object({
    KAFKA_BROKERS: brokerList,
    KAFKA_CLIENT_ID: z.string().regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only').optional(),
    KAFKA_SSL: flag(false),
    KAFKA_SSL_REJECT_UNAUTHORIZED: flag(true),
    KAFKA_SASL_MECHANISM: z.enum(saslMechanisms).optional(),
    KAFKA_SASL_USERNAME: z.string().optional(),
    KAFKA_SASL_PASSWORD: z.string().optional(),
    KAFKA_CONNECTION_TIMEOUT_MS: positiveInt(3_000),
    KAFKA_REQUEST_TIMEOUT_MS: positiveInt(30_000),
    KAFKA_RETRY_INITIAL_MS: positiveInt(300),
    KAFKA_RETRY_MAX_MS: positiveInt(30_000),
    KAFKA_RETRIES: z.coerce.number().int().min(0).default(8),
    KAFKA_LOG_LEVEL: z.enum(['nothing', 'error', 'warn', 'info', 'debug']).default('warn'),
    KAFKA_DEAD_LETTER_TOPIC: z.string().min(1).default(Topics.deadLetter),
    RELAY_ENABLED: flag(false),
    RELAY_NAME: z.string().regex(/^[\w.-]+$/).default('relay'),
    // 1,000: as fast as 2,000 in the pipeline bench, and ingest holds half the pages in flight (RSS).
    RELAY_BATCH_SIZE: positiveInt(1_000),
    RELAY_POLL_INTERVAL_MS: positiveInt(200),
    // A batch's sends not settled by then: the producer is presumed wedged and replaced (relay.ts).
    RELAY_SEND_TIMEOUT_MS: positiveInt(120_000),
    CONSUMER_MAX_ATTEMPTS: positiveInt(3),
    CONSUMER_RETRY_BACKOFF_MS: positiveInt(200),
    CONSUMER_MAX_BATCH_SIZE: positiveInt(500),
    CONSUMER_PARTITIONS_CONCURRENTLY: positiveInt(1),
  })
  .superRefine((env, ctx) => {
    // A mechanism without credentials would only fail later, at the first broker handshake.
    if (!env.KAFKA_SASL_MECHANISM) return;
    for (const key of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (!env[key]) {
        ctx.addIssue({ code: 'custom', path: [key], message: `is required when KAFKA_SASL_MECHANISM is set` });
      }
    }
  });

export type KafkaLogLevelName = 'nothing' | 'error' | 'warn' | 'info' | 'debug';

type SaslMechanism = (typeof saslMechanisms)[number];
/** One member per mechanism, the shape kafkajs's SASLOptions expects. */
export type SaslConfig = { [M in SaslMechanism]: { mechanism: M; username: string; password: string } }[SaslMechanism];

export interface KafkaClientConfig {
  brokers: string[];
  clientId: string;
  ssl?: { rejectUnauthorized: boolean };
  sasl?: SaslConfig;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  retry: { initialRetryTimeMs: number; maxRetryTimeMs: number; retries: number };
  logLevel: KafkaLogLevelName;
}

export interface MessagingConfig {
  kafka: KafkaClientConfig;
  deadLetterTopic: string;
  relay: { enabled: boolean; name: string; batchSize: number; pollIntervalMs: number; sendTimeoutMs: number };
  consumer: { maxAttempts: number; retryBackoffMs: number; maxBatchSize: number; partitionsConsumedConcurrently: number };
}

/** Thrown at boot; `issues` lets a caller report every bad variable at once. */
export class MessagingConfigError extends Error {
  constructor(readonly issues: { variable: string; problem: string }[]) {
    super(`Invalid messaging configuration: ${issues.map((i) => `${i.variable} ${i.problem}`).join('; ')}`);
    this.name = 'MessagingConfigError';
  }
}

/**
 * @param env the process environment (or any string map), passed in by the edge.
 * @param defaults what a service fills in itself, e.g. its own name as the client id.
 */
export function loadMessagingConfig(
  env: Record<string, string | undefined>,
  defaults: { clientId?: string } = {},
): MessagingConfig {
  // An empty variable (`KAFKA_SASL_MECHANISM=` in a manifest) means "unset", not "invalid".
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new MessagingConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? 'environment'),
        problem: issue.message,
      })),
    );
  }
  const e = parsed.data;
  return {
    kafka: {
      brokers: e.KAFKA_BROKERS,
      clientId: e.KAFKA_CLIENT_ID ?? defaults.clientId ?? 'incident-platform',
      ssl: e.KAFKA_SSL ? { rejectUnauthorized: e.KAFKA_SSL_REJECT_UNAUTHORIZED } : undefined,
      sasl: e.KAFKA_SASL_MECHANISM
        ? { mechanism: e.KAFKA_SASL_MECHANISM, username: e.KAFKA_SASL_USERNAME ?? '', password: e.KAFKA_SASL_PASSWORD ?? '' }
        : undefined,
      connectionTimeoutMs: e.KAFKA_CONNECTION_TIMEOUT_MS,
      requestTimeoutMs: e.KAFKA_REQUEST_TIMEOUT_MS,
      retry: { initialRetryTimeMs: e.KAFKA_RETRY_INITIAL_MS, maxRetryTimeMs: e.KAFKA_RETRY_MAX_MS, retries: e.KAFKA_RETRIES },
      logLevel: e.KAFKA_LOG_LEVEL,
    },
    deadLetterTopic: e.KAFKA_DEAD_LETTER_TOPIC,
    relay: {
      enabled: e.RELAY_ENABLED,
      name: e.RELAY_NAME,
      batchSize: e.RELAY_BATCH_SIZE,
      pollIntervalMs: e.RELAY_POLL_INTERVAL_MS,
      sendTimeoutMs: e.RELAY_SEND_TIMEOUT_MS,
    },
    consumer: {
      maxAttempts: e.CONSUMER_MAX_ATTEMPTS,
      retryBackoffMs: e.CONSUMER_RETRY_BACKOFF_MS,
      maxBatchSize: e.CONSUMER_MAX_BATCH_SIZE,
      partitionsConsumedConcurrently: e.CONSUMER_PARTITIONS_CONCURRENTLY,
    },
  };
}
