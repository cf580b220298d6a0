import { z } from 'zod';
import { isoTime, uuidString } from '../openapi/api-docs';
import type { HistoryPage } from './history';

export const HistoryEventSchema = z
  .object({
    id: uuidString(),
    type: z.string(),
    version: z.int().describe('stream version, 1-based'),
    schemaVersion: z.int(),
    occurredAt: isoTime().describe('event time'),
    recordedAt: isoTime().describe('when the log recorded it'),
    payload: z.record(z.string(), z.unknown()),
    metadata: z.record(z.string(), z.unknown()).describe('correlationId, causationId, traceparent, actor, ...'),
    hash: z.string().describe('hash-chain link, hex sha256'),
  })
  .meta({ id: 'HistoryEvent' });

export const HistoryPageSchema = z
  .object({
    incidentId: z.string(),
    events: z.array(HistoryEventSchema),
    nextFromVersion: z.int().nullable().describe('pass as `fromVersion` for the next page; null at the end'),
  })
  .meta({ id: 'HistoryPage' });

const _pageMatchesSchema = (page: HistoryPage): z.input<typeof HistoryPageSchema> => page;
