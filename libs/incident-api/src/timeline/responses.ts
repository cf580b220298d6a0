import { z } from 'zod';
import { isoTime } from '../openapi/api-docs';
import type { TimelineEntry } from './timeline';

export const TimelineEntrySchema = z
  .object({
    at: isoTime().describe('event time (UTC) of the first event of the entry'),
    until: isoTime().optional().describe('event time of the last event, when the entry stands for several'),
    recordedAt: isoTime(),
    versions: z.object({ from: z.int(), to: z.int() }),
    event: z.string().describe('event type'),
    count: z.int().describe('events this entry stands for (signals are collapsed into counts)'),
    what: z.string().describe('what happened, in words'),
    actor: z.string().describe('who or what decided'),
    basis: z
      .object({ rule: z.string(), policyVersion: z.string(), inputs: z.record(z.string(), z.unknown()) })
      .optional()
      .describe('the rule, its policy version and the inputs of a decision'),
    text: z.string().describe('the entry as one line'),
  })
  .meta({ id: 'TimelineEntry' });

export const TimelineSchema = z
  .object({ incidentId: z.string(), version: z.int(), entries: z.array(TimelineEntrySchema) })
  .meta({ id: 'Timeline' });

export interface Timeline {
  incidentId: string;
  version: number;
  entries: TimelineEntry[];
}

const _timelineMatchesSchema = (timeline: Timeline): z.input<typeof TimelineSchema> => timeline;
