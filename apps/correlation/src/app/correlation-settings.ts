import { ConfigError, envProblems } from '@incident/service-runtime';
import { z } from 'zod';

const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

// Keyed by variable name, so every problem names the variable to fix (STYLE.md 9).
const EnvSchema = z.object({
  CORRELATION_TIMER_POLL_MS: positive(5_000),
  CORRELATION_TIMER_BATCH: positive(100),
  CORRELATION_CACHE_CORRELATIONS: positive(10_000),
  CORRELATION_CACHE_INCIDENTS: positive(1_000),
  CORRELATION_CACHE_SOURCES: positive(10_000),
  CORRELATION_CONFLICT_RETRIES: positive(10),
});

export interface CorrelationSettings {
  timers: { pollIntervalMs: number; batch: number };
  /** LRU caps on folded states kept in memory; the log is read for anything evicted. */
  cache: { correlations: number; incidents: number; sources: number };
  maxConflictRetries: number;
}

export function loadCorrelationSettings(env: Record<string, string | undefined>): CorrelationSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(envProblems(parsed.error));
  const e = parsed.data;
  return {
    timers: { pollIntervalMs: e.CORRELATION_TIMER_POLL_MS, batch: e.CORRELATION_TIMER_BATCH },
    cache: { correlations: e.CORRELATION_CACHE_CORRELATIONS, incidents: e.CORRELATION_CACHE_INCIDENTS, sources: e.CORRELATION_CACHE_SOURCES },
    maxConflictRetries: e.CORRELATION_CONFLICT_RETRIES,
  };
}
