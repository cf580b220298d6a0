import { z } from 'zod';
import { DecisionBasisSchema, EventTime } from './decision-basis';
import { ACTION_ITEM_PRIORITIES, FishboneSchema } from './incident-events';
import { IncidentTypeSchema, SeveritySchema } from './incident-vocabulary';

// Payloads of the postmortem stream (`postmortem-<incident uuid>`, topic incidents.postmortems.v1),
// as libs/postmortem-domain's decider emits them. Both version 1.

/** The kinds of blaming sentence the postmortem drafter flags (the playbook's "Don't blame individuals"). */
export const BLAME_RULE_IDS = ['named-person', 'role-person', 'pronoun', 'human-error', 'fault', 'should-have-known', 'judgement'] as const;

export const BlameWarningSchema = z.strictObject({
  field: z.string().min(1).describe('Where the text is: a dotted path into the postmortem (`rootCause.fiveWhys.2`), or `notes.<noteId>`.'),
  rule: z.enum(BLAME_RULE_IDS),
  sentence: z.string(),
  match: z.string(),
  suggestion: z.string(),
});

/** The playbook's postmortem, structured. Absent things are `null` or empty lists, never missing keys. */
export const PostmortemSchema = z.strictObject({
  template: z.string().min(1),
  incidentId: z.uuid(),
  title: z.string(),
  incidentType: IncidentTypeSchema,
  source: z.string(),
  summary: z.string(),
  date: z.iso.date().describe('UTC date the incident started.'),
  startedAt: EventTime,
  resolvedAt: EventTime,
  durationMs: z.number().nonnegative(),
  duration: z.string(),
  severity: SeveritySchema.describe('The most severe the incident was at any point.'),
  finalSeverity: SeveritySchema,
  impact: z.strictObject({
    affectedUsers: z.number().int().nonnegative(),
    peakErrorRate: z.number().nullable(),
    signalCount: z.number().int().nonnegative(),
    busiestComponent: z.string().nullable(),
  }),
  timeline: z.array(
    z.strictObject({ at: EventTime, version: z.number().int().positive(), event: z.string(), what: z.string(), actor: z.string() }),
  ),
  rootCause: z
    .strictObject({
      statement: z.string(),
      fix: z.string(),
      fiveWhys: z.array(z.string()),
      fishbone: FishboneSchema,
      recordedBy: z.string(),
      recordedAt: EventTime,
    })
    .nullable(),
  contributingFactors: z.array(z.string()),
  wentWell: z.array(z.string()),
  wentPoorly: z.array(z.string()),
  lessonsLearned: z.array(z.string()),
  actionItems: z.array(
    z.strictObject({
      id: z.string(),
      title: z.string(),
      priority: z.enum(ACTION_ITEM_PRIORITIES),
      owner: z.string(),
      dueDate: z.string(),
      completedAt: EventTime.nullable(),
    }),
  ),
  resolution: z.strictObject({ at: EventTime, by: z.string(), reason: z.string() }),
  dueAt: EventTime,
  incidentVersion: z.number().int().positive().describe('The incident stream version the draft was made from.'),
});

export const PostmortemDraftedV1Schema = z.strictObject({
  at: EventTime.describe('Event time of the incident event the draft reacts to.'),
  incidentId: z.uuid(),
  revision: z.number().int().positive().describe('1 for the first draft, +1 for each re-draft.'),
  postmortem: PostmortemSchema,
  blameWarnings: z.array(BlameWarningSchema),
  dueAt: EventTime,
  basis: DecisionBasisSchema,
  actor: z.string().min(1),
});

export const PostmortemOverdueV1Schema = z.strictObject({
  at: EventTime.describe('The due time, however late the poller noticed.'),
  incidentId: z.uuid(),
  revision: z.number().int().positive().describe('The revision that was still a draft when it fell due.'),
  dueAt: EventTime,
  basis: DecisionBasisSchema,
  actor: z.string().min(1),
});

export const PostmortemFinalizedV1Schema = z.strictObject({
  at: EventTime.describe('When a responder declared the postmortem final (the API edge\'s clock, recorded).'),
  incidentId: z.uuid(),
  revision: z.number().int().positive().describe('The revision that became final: no later re-draft, no overdue flag.'),
  actor: z.string().min(1).describe('The API key that finalized it.'),
});

/** The postmortem stream's payload schemas by event type (all version 1). */
export const POSTMORTEM_PAYLOADS_V1 = {
  PostmortemDrafted: PostmortemDraftedV1Schema,
  PostmortemOverdue: PostmortemOverdueV1Schema,
  PostmortemFinalized: PostmortemFinalizedV1Schema,
} as const;
