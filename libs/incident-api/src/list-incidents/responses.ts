import { z } from 'zod';
import { isoTime, uuidString } from '../openapi/api-docs';
import type { IncidentRow } from '../projection/incident-row';
import type { IncidentPage } from './incidents-read-model';

export const IncidentSummarySchema = z
  .object({
    id: uuidString(),
    title: z.string(),
    type: z.string().describe('incident type (rate_limit, timeout, ...)'),
    source: z.string().describe('the publishing service'),
    fingerprint: z.string(),
    status: z.string().describe('open or resolved'),
    severity: z.string().describe('SEV-1 (most severe) to SEV-4'),
    openedAt: isoTime(),
    resolvedAt: isoTime().nullable(),
    signalCount: z.int(),
    affectedUsers: z.int().describe('distinct userIds among its signals'),
    errorRate: z.number().nullable().describe('latest measured error rate (0..1), null before any traffic sample'),
    lastSeenAt: isoTime(),
    version: z.int().describe('version of the incident stream the row reflects'),
  })
  .meta({ id: 'IncidentSummary' });

export const IncidentPageSchema = z
  .object({
    items: z.array(IncidentSummarySchema),
    nextCursor: z.string().nullable().describe('pass back as `cursor` for the next page; null on the last page'),
  })
  .meta({ id: 'IncidentPage' });

// Compile-time proof that what the controller returns is what the document describes.
const _pageMatchesSchema = (page: IncidentPage): z.input<typeof IncidentPageSchema> => page;
const _rowMatchesSchema = (row: IncidentRow): z.input<typeof IncidentSummarySchema> => row;
