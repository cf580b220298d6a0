import { INCIDENT_TYPES, SEVERITIES } from '@incident/contracts';
import { z } from 'zod';
import { decodeCursor, type ListCursor } from './cursor';

export const INCIDENT_STATUSES = ['open', 'resolved'] as const;
export const MAX_LIMIT = 200;

/** A comma-separated filter: `severity=SEV-1,SEV-2` matches either. */
function anyOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .string()
    .transform((text) => text.split(',').map((v) => v.trim()))
    .pipe(z.array(z.enum(values, { error: `must be ${what}: ${values.join(', ')} (comma-separated for several)` })))
    .optional()
    .describe(`${what}; several comma-separated: ${values.join(', ')}`);
}

/** The query string of GET /v1/incidents. Strict: an unknown (say misspelt) parameter is a 400, not ignored. */
export const ListQuerySchema = z.strictObject({
  status: anyOf(INCIDENT_STATUSES, 'a status'),
  severity: anyOf(SEVERITIES, 'a severity'),
  type: anyOf(INCIDENT_TYPES, 'an incident type'),
  service: z
    .string()
    .min(1)
    .max(500)
    .transform((text) => text.split(',').map((v) => v.trim()))
    .optional()
    .describe('the publishing service (the signals\' `source`); several comma-separated'),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`)
    .default(50)
    .describe(`page size, at most ${MAX_LIMIT}`),
  cursor: z
    .string()
    .transform((text, ctx): ListCursor => {
      const cursor = decodeCursor(text);
      if (!cursor) ctx.addIssue({ code: 'custom', message: 'is not a cursor this API returned (pass `nextCursor` back unchanged)' });
      return cursor ?? { openedAt: '', id: '' };
    })
    .optional()
    .describe('`nextCursor` of the previous page'),
});

export type ListQuery = z.output<typeof ListQuerySchema>;
