import { ConfigError, envProblems } from '@incident/service-runtime';
import { z } from 'zod';

const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);

// Keyed by variable name, so every problem names the variable to fix (STYLE.md 9).
const EnvSchema = z.object({
  POSTMORTEM_TIMER_POLL_MS: positive(30_000),
  POSTMORTEM_TIMER_BATCH: positive(100),
});

export interface PostmortemSettings {
  /** How often the overdue timers are looked at; a draft falls due 24 hours after resolution, so seconds of delay do not matter. */
  timers: { pollIntervalMs: number; batch: number };
}

export function loadPostmortemSettings(env: Record<string, string | undefined>): PostmortemSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(envProblems(parsed.error));
  return { timers: { pollIntervalMs: parsed.data.POSTMORTEM_TIMER_POLL_MS, batch: parsed.data.POSTMORTEM_TIMER_BATCH } };
}
