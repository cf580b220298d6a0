import type { z } from 'zod';

/** A configuration that cannot start the service: every bad variable, by name. */
export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Zod issues of an env schema keyed by variable names become "NAME: what is wrong". */
export function envProblems(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`);
}
