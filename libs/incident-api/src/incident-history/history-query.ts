import { z } from 'zod';
import { streamVersion } from '../http/params';

export const MAX_EVENTS_PAGE = 5000;

/** The query string of GET /v1/incidents/{id}/events: a page of the stream, by version. */
export const HistoryQuerySchema = z.strictObject({
  fromVersion: streamVersion('first stream version to return').default(1),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_EVENTS_PAGE, `must be at most ${MAX_EVENTS_PAGE}`)
    .default(1000)
    .describe(`events per page, at most ${MAX_EVENTS_PAGE}`),
});

export type HistoryQuery = z.output<typeof HistoryQuerySchema>;
