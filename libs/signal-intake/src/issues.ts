import type { z } from 'zod';

/** One thing wrong with an input, located precisely enough for a publisher to fix it. */
export interface InputIssue {
  /** Where: `[3].errorCode`, `alerts[0].labels`, `line 12`. */
  at: string;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[] };

/** Turns zod's issues into located ones, prefixed with the item's place in the batch. */
export function zodIssues(prefix: string, error: z.ZodError): InputIssue[] {
  return error.issues.map((issue) => ({
    at: [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))]
      .join('')
      .replace(/^\./, ''),
    message: issue.message,
  }));
}
