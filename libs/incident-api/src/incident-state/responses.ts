import { ACTION_ITEM_PRIORITIES, RESPONSE_STATUSES } from '@incident/incident-domain';
import { z } from 'zod';
import { isoTime } from '../openapi/api-docs';
import type { IncidentView } from './incident-view';

export const ImpactSchema = z
  .object({
    signalCount: z.int(),
    firstSeenAt: isoTime(),
    lastSeenAt: isoTime(),
    affectedUsers: z.int().describe('distinct userIds among its signals'),
    errorRate: z.number().optional().describe('latest measured error rate, 0..1'),
    peakErrorRate: z.number().optional(),
    busiestComponent: z.object({ component: z.string(), signals: z.int() }).optional(),
    buckets: z.record(z.string(), z.int()).describe('failures per spike bucket (bucket start -> count)'),
  })
  .meta({ id: 'Impact' });

const strings = () => z.array(z.string());

export const RootCauseSchema = z
  .object({
    fiveWhys: strings(),
    fishbone: z.object({ people: strings(), process: strings(), technology: strings(), environment: strings() }),
    rootCause: z.string(),
    fix: z.string(),
    contributingFactors: strings(),
    wentWell: strings(),
    wentPoorly: strings(),
    lessonsLearned: strings(),
    at: isoTime(),
    by: z.string(),
  })
  .meta({ id: 'RootCause' });

export const ActionItemSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    priority: z.enum(ACTION_ITEM_PRIORITIES),
    owner: z.string(),
    dueDate: z.string().meta({ format: 'date' }),
    completedAt: isoTime().nullable(),
  })
  .meta({ id: 'ActionItem' });

export const IncidentStateSchema = z
  .object({
    id: z.string(),
    status: z.enum(['open', 'resolved']),
    title: z.string(),
    type: z.string(),
    source: z.string().describe('the publishing service'),
    fingerprint: z.string(),
    severity: z.string(),
    openedAt: isoTime(),
    resolvedAt: isoTime().nullable(),
    resolution: z.string().nullable(),
    resolveTimerDueAt: isoTime().nullable().describe('when the quiet-period timer fires, while one is set'),
    version: z.int().describe('the stream version this state is as of'),
    impact: ImpactSchema,
    components: z.record(z.string(), z.int()).describe('signals per component'),
    alertFingerprints: z.array(z.string()),
    acknowledged: z.object({ at: isoTime(), by: z.string().describe('the API key that acknowledged') }).nullable(),
    responseStatus: z.enum(RESPONSE_STATUSES),
    notes: z.int().describe('notes recorded (their text is in the events and the timeline)'),
    rootCause: RootCauseSchema.nullable().describe('the latest root-cause analysis recorded'),
    actionItems: z.array(ActionItemSchema),
    asOf: z.object({ at: isoTime().nullable(), version: z.int().nullable() }).describe('the `at` and `version` asked for'),
  })
  .meta({ id: 'IncidentState' });

const _viewMatchesSchema = (view: IncidentView): z.input<typeof IncidentStateSchema> => view;
