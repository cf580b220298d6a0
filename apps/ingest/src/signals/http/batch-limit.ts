import { MAX_BATCH, type Parsed } from '@incident/signal-intake';

/**
 * One request is one transaction; the cap keeps that transaction bounded whatever the format
 * (1 MiB of short log lines would otherwise be tens of thousands of signals).
 */
export function withinBatchLimit<T>(
  parsed: Parsed<T[]>,
  noun: string,
): Parsed<T[]> {
  if (!parsed.ok || parsed.value.length <= MAX_BATCH) return parsed;
  return {
    ok: false,
    issues: [
      {
        at: '',
        message: `a request holds at most ${MAX_BATCH} ${noun}, got ${parsed.value.length}`,
      },
    ],
  };
}
