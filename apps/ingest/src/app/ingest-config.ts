import { DEFAULT_PARTITIONS, Topics } from '@incident/contracts';
import {
  loadMessagingConfig,
  MessagingConfigError,
  type MessagingConfig,
} from '@incident/messaging';
import { ConfigError, envProblems } from '@incident/service-runtime';
import { z } from 'zod';
import type { RateLimits } from '../signals/rate-limit/source-rate-limiter';

export const INGEST_CONFIG = Symbol('INGEST_CONFIG');

/** The topics ingest reads (intake) and publishes to (relay). */
export interface IngestTopics {
  signalIntake: string;
  signals: string;
  traffic: string;
  classifications: string;
  incidents: string;
}

export interface IngestConfig {
  rateLimit: RateLimits;
  commitTimeoutMs: number;
  unavailableRetryAfterSeconds: number;
  intake: { enabled: boolean; topic: string; groupId: string };
  topics: IngestTopics;
  messaging: MessagingConfig;
  /** Where the remediation API the front door forwards lives (remediation-api/). */
  remediation: RemediationUpstream;
}

export interface RemediationUpstream {
  /** Base URL without a trailing slash, e.g. http://remediation:8083. */
  url: string;
  timeoutMs: number;
}

/** Not environment variables: topic names are the contract. Only tests point ingest elsewhere. */
export interface IngestOverrides {
  topics?: Partial<IngestTopics>;
}

const positive = (fallback: number) =>
  z.coerce.number().positive().finite().default(fallback);
const positiveInt = (fallback: number) =>
  z.coerce.number().int().positive().default(fallback);

// Keyed by the variable names so every problem names what to fix (STYLE.md 9).
const EnvSchema = z.object({
  SIGNAL_RATE_PER_SECOND: positive(2_000),
  SIGNAL_RATE_BURST: positiveInt(10_000),
  SIGNAL_RATE_MAX_SOURCES: positiveInt(10_000),
  SIGNAL_COMMIT_TIMEOUT_MS: positiveInt(10_000),
  SIGNAL_UNAVAILABLE_RETRY_AFTER_SECONDS: positiveInt(5),
  INTAKE_ENABLED: z.stringbool().default(true),
  INTAKE_GROUP_ID: z
    .string()
    .regex(/^[\w.-]{1,200}$/, 'letters, digits, ".", "_" and "-" only')
    .default('ingest-intake'),
  // The remediation service, whose API ingest forwards so that users have one base URL (DESIGN.md).
  REMEDIATION_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .refine((u) => {
      const { search, hash } = new URL(u);
      return !search && !hash;
    }, 'must be a base URL, without query or fragment')
    .default('http://127.0.0.1:8083'),
  REMEDIATION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .positive()
    .max(120_000)
    .default(10_000),
});

/**
 * Ingest's own settings plus messaging's, read once at boot. Every bad variable is reported at
 * once as a ConfigError, which main.ts turns into exit code 2 like the runtime's own settings.
 */
export function loadIngestConfig(
  env: NodeJS.ProcessEnv,
  overrides: IngestOverrides = {},
): IngestConfig {
  const problems: string[] = [];
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) problems.push(...envProblems(parsed.error));
  let messaging: MessagingConfig | undefined;
  try {
    // Ingest is where the relay runs (docs/architecture.md), so here it is on unless switched off.
    messaging = loadMessagingConfig(
      { RELAY_ENABLED: 'true', ...present },
      { clientId: 'ingest' },
    );
  } catch (error) {
    if (!(error instanceof MessagingConfigError)) throw error;
    problems.push(...error.issues.map((i) => `${i.variable}: ${i.problem}`));
  }
  if (!parsed.success || !messaging) throw new ConfigError(problems);
  const e = parsed.data;
  const topics: IngestTopics = {
    signalIntake: Topics.signalIntake,
    signals: Topics.signals,
    traffic: Topics.traffic,
    classifications: Topics.classifications,
    incidents: Topics.incidents,
    ...overrides.topics,
  };
  return {
    rateLimit: {
      ratePerSecond: e.SIGNAL_RATE_PER_SECOND,
      burst: e.SIGNAL_RATE_BURST,
      maxSources: e.SIGNAL_RATE_MAX_SOURCES,
    },
    commitTimeoutMs: e.SIGNAL_COMMIT_TIMEOUT_MS,
    unavailableRetryAfterSeconds: e.SIGNAL_UNAVAILABLE_RETRY_AFTER_SECONDS,
    intake: {
      enabled: e.INTAKE_ENABLED,
      topic: topics.signalIntake,
      groupId: e.INTAKE_GROUP_ID,
    },
    topics,
    messaging,
    remediation: {
      url: e.REMEDIATION_URL.replace(/\/+$/, ''),
      timeoutMs: e.REMEDIATION_TIMEOUT_MS,
    },
  };
}

/** What ingest creates at boot if missing: the topics it reads and writes, and the dead letters. */
export function topicsToEnsure(
  config: IngestConfig,
): { name: string; partitions: number }[] {
  const names = new Set([
    ...Object.values(config.topics),
    config.messaging.deadLetterTopic,
  ]);
  return [...names].map((name) => ({ name, partitions: DEFAULT_PARTITIONS }));
}
