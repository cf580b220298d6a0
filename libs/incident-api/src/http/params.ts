import { z } from 'zod';

/** `:id` of /v1/incidents/{id}: a UUID in any case, read in lower case (the stream ids' form). */
export const IncidentIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be an incident id (a UUID)')
  .transform((id) => id.toLowerCase())
  .describe('incident id (UUID)');

/** Stream versions are PostgreSQL integers, 1-based. */
export const MAX_VERSION = 2_147_483_647;

export const streamVersion = (what: string) =>
  z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1 (stream versions start at 1)')
    .max(MAX_VERSION, `must be at most ${MAX_VERSION}`)
    .describe(what);
