import { z } from 'zod';
import { streamVersion } from '../http/params';

/** The query string of GET /v1/incidents/{id}: the state as of a time, a version, or both (whichever is earlier). */
export const StateQuerySchema = z.strictObject({
  at: z.iso
    .datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone, e.g. 2025-01-01T12:00:00Z' })
    .transform((text) => new Date(text))
    .optional()
    .describe('the state from the events recorded at or before this instant'),
  version: streamVersion('the state after this version of the incident stream').optional(),
});

export type StateQuery = z.output<typeof StateQuerySchema>;
