import { z } from 'zod';
import { isoTime, uuidString } from '../openapi/api-docs';
import type { PostmortemView } from './read-postmortem';

// Response fields are documented, not validated (as everywhere in this API).
const strings = (what: string) => z.array(z.string()).describe(what);

const PostmortemSchema = z
  .object({
    template: z.string().describe('the template filled in: playbook-postmortem/v1'),
    incidentId: uuidString(),
    title: z.string(),
    incidentType: z.string(),
    source: z.string(),
    summary: z.string(),
    date: z.string().describe('UTC date the incident started (YYYY-MM-DD)'),
    startedAt: isoTime(),
    resolvedAt: isoTime(),
    durationMs: z.int(),
    duration: z.string().describe('e.g. "40 minutes"'),
    severity: z.string().describe('the most severe it was'),
    finalSeverity: z.string().describe('the severity when it resolved'),
    impact: z.object({ affectedUsers: z.int(), peakErrorRate: z.number().nullable(), signalCount: z.int(), busiestComponent: z.string().nullable() }),
    timeline: z.array(z.object({ at: isoTime(), version: z.int(), event: z.string(), what: z.string(), actor: z.string() })).describe('UTC, in event-time order'),
    rootCause: z
      .object({
        statement: z.string(),
        fix: z.string(),
        fiveWhys: strings('the 5 Whys, first why first'),
        fishbone: z.object({ people: z.array(z.string()), process: z.array(z.string()), technology: z.array(z.string()), environment: z.array(z.string()) }),
        recordedBy: z.string(),
        recordedAt: isoTime(),
      })
      .nullable(),
    contributingFactors: strings('contributing factors'),
    wentWell: strings('what went well'),
    wentPoorly: strings('what went poorly'),
    lessonsLearned: strings('lessons learned'),
    actionItems: z.array(z.object({ id: z.string(), title: z.string(), priority: z.string(), owner: z.string(), dueDate: z.string(), completedAt: isoTime().nullable() })),
    resolution: z.object({ at: isoTime(), by: z.string(), reason: z.string() }),
    dueAt: isoTime(),
    incidentVersion: z.int().describe('the incident stream version the draft was made from'),
  })
  .meta({ id: 'Postmortem' });

export const PostmortemViewSchema = z
  .object({
    incidentId: uuidString(),
    revision: z.int().describe('1 for the first draft, +1 for each re-draft'),
    status: z.enum(['draft', 'overdue', 'final']).describe('`overdue` once the postmortem service recorded PostmortemOverdue; `final` once a responder finalized it'),
    overdue: z.boolean().describe('past its due time (24 hours after resolution) at the time of the request and not final'),
    dueAt: isoTime(),
    draftedAt: isoTime().describe('event time of the incident event the latest draft reacted to'),
    overdueRecordedAt: isoTime().nullable(),
    finalized: z.object({ at: isoTime(), by: z.string() }).nullable().describe('when and by which key the postmortem was declared final'),
    postmortem: PostmortemSchema,
    blameWarnings: z
      .array(z.object({ field: z.string(), rule: z.string(), sentence: z.string(), match: z.string(), suggestion: z.string() }))
      .describe('sentences that blame a person rather than a system, with a suggestion to rephrase'),
  })
  .meta({ id: 'PostmortemDraft' });

export const FinalizePostmortemBodySchema = z
  .strictObject(
    {
      expectedRevision: z
        .int({ error: 'must be a whole number' })
        .min(1, 'must be at least 1 (revisions start at 1)')
        .optional()
        .describe('the revision you read (`revision` of the JSON postmortem); another one is a 409'),
    },
    { error: 'must be a JSON object' },
  )
  .meta({ id: 'FinalizePostmortem' });

export const FinalizeOutcomeSchema = z
  .object({ incidentId: uuidString(), revision: z.int(), version: z.int().describe('the postmortem stream version after the append') })
  .meta({ id: 'PostmortemFinalized' });

const _viewMatchesSchema = (view: PostmortemView): z.input<typeof PostmortemViewSchema> => view;
