import { z } from 'zod';
import { SIGNAL_LEVELS } from '../signals/signal';
import { DecisionBasisSchema, EventTime } from './decision-basis';
import { IncidentTypeSchema, SeveritySchema } from './incident-vocabulary';

// Payloads of the incident stream (`incident-<uuid>`, topic incidents.incidents.v1), as the
// deciders of libs/incident-domain and libs/remediation-domain (escalation) emit them. All are
// version 1. The domain libs keep their own TypeScript types; a spec there fails to compile when
// a type and its schema here stop describing the same thing.

export const RESPONSE_STATUSES = ['investigating', 'identified', 'monitoring'] as const;
export const ACTION_ITEM_PRIORITIES = ['P0', 'P1', 'P2'] as const;

const actor = z.string().min(1).describe('Who did it: an API key name, or the service that decided.');

export const IncidentOpenedV1Schema = z.strictObject({
  incidentId: z.uuid(),
  at: EventTime.describe('Event time of the signal that opened it.'),
  fingerprint: z.string().min(1),
  incidentType: IncidentTypeSchema,
  source: z.string().min(1),
  title: z.string().min(1),
  severity: SeveritySchema,
  basis: DecisionBasisSchema,
  classification: z.strictObject({
    type: IncidentTypeSchema,
    fingerprint: z.string().min(1),
    source: z.string().min(1),
    ruleId: z.string().min(1),
    ruleSetVersion: z.string().min(1),
  }),
});

/** A signal as counted on an incident: enough for the impact, not the whole signal. */
export const AttachedSignalSchema = z.strictObject({
  signalId: z.string().min(1),
  at: EventTime,
  bucket: EventTime.describe('Start of the spike bucket the signal falls in.'),
  level: z.enum(SIGNAL_LEVELS),
  component: z.string().optional(),
  userId: z.string().optional().describe('The user pseudonym (`userRef`) since SignalClassified v2; in events written before, the publisher\'s id.'),
  errorCode: z.string().optional(),
  alertFingerprint: z.string().optional(),
});
export const SignalAttachedV1Schema = AttachedSignalSchema;

export const ErrorRateMeasuredV1Schema = z.strictObject({
  at: EventTime,
  windowStart: EventTime,
  windowEnd: EventTime,
  requests: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  errorRate: z.number().min(0).max(1),
});

export const SeverityChangedV1Schema = z.strictObject({
  at: EventTime,
  from: SeveritySchema,
  to: SeveritySchema,
  reason: z.string().min(1),
  basis: DecisionBasisSchema,
  actor,
});

export const ResolveTimerScheduledV1Schema = z.strictObject({
  at: EventTime,
  dueAt: EventTime.describe('When the incident resolves unless another failure arrives (the quiet period).'),
  policyVersion: z.string().min(1),
});

export const IncidentResolvedV1Schema = z.strictObject({ at: EventTime, reason: z.string().min(1), basis: DecisionBasisSchema, actor });

export const IncidentAcknowledgedV1Schema = z.strictObject({ at: EventTime, actor });

export const NoteAddedV1Schema = z.strictObject({ at: EventTime, actor, noteId: z.string().min(1), text: z.string().min(1) });

export const ResponseStatusChangedV1Schema = z.strictObject({ at: EventTime, actor, from: z.enum(RESPONSE_STATUSES), to: z.enum(RESPONSE_STATUSES) });

/** The playbook's fishbone (Ishikawa) categories. */
export const FishboneSchema = z.strictObject({
  people: z.array(z.string()),
  process: z.array(z.string()),
  technology: z.array(z.string()),
  environment: z.array(z.string()),
});

export const RootCauseRecordedV1Schema = z.strictObject({
  fiveWhys: z.array(z.string().min(1)).min(1).describe('The 5 Whys chain, first "why" first.'),
  fishbone: FishboneSchema,
  rootCause: z.string().min(1),
  fix: z.string().min(1),
  contributingFactors: z.array(z.string()),
  wentWell: z.array(z.string()),
  wentPoorly: z.array(z.string()),
  lessonsLearned: z.array(z.string()),
  at: EventTime,
  actor,
});

export const ActionItemAddedV1Schema = z.strictObject({
  at: EventTime,
  actor,
  itemId: z.string().min(1),
  title: z.string().min(1),
  priority: z.enum(ACTION_ITEM_PRIORITIES),
  owner: z.string().min(1),
  dueDate: z.string().min(1).describe('A date as the responder gave it (anything Date.parse reads, e.g. 2026-01-20).'),
});

export const ActionItemCompletedV1Schema = z.strictObject({ at: EventTime, actor, itemId: z.string().min(1) });

// Response-time escalation, recorded in the incident stream by the remediation service.
export const AcknowledgementDeadlineScheduledV1Schema = z.strictObject({
  at: EventTime,
  dueAt: EventTime.describe('When the incident escalates unless acknowledged (the playbook\'s response time for its severity).'),
  severity: SeveritySchema,
  trigger: z.enum(['IncidentOpened', 'SeverityChanged']),
  basis: DecisionBasisSchema,
});

export const IncidentEscalatedV1Schema = z.strictObject({
  at: EventTime.describe('The deadline it missed (event time).'),
  deadline: EventTime,
  severity: SeveritySchema,
  missedByMs: z.number().nonnegative(),
  firedAt: EventTime.describe('When the timer was seen due (wall clock).'),
  basis: DecisionBasisSchema,
});

// Correlation's own window (`correlation-<fingerprint>`): kept in the log, never relayed.
export const FailureObservedV1Schema = z.strictObject({ signal: AttachedSignalSchema, policyVersion: z.string().min(1) });
export const IncidentLinkedV1Schema = z.strictObject({ incidentId: z.uuid(), at: EventTime });

/** The incident stream's payload schemas by event type (all version 1). */
export const INCIDENT_PAYLOADS_V1 = {
  IncidentOpened: IncidentOpenedV1Schema,
  SignalAttached: SignalAttachedV1Schema,
  ErrorRateMeasured: ErrorRateMeasuredV1Schema,
  SeverityChanged: SeverityChangedV1Schema,
  ResolveTimerScheduled: ResolveTimerScheduledV1Schema,
  IncidentResolved: IncidentResolvedV1Schema,
  IncidentAcknowledged: IncidentAcknowledgedV1Schema,
  NoteAdded: NoteAddedV1Schema,
  ResponseStatusChanged: ResponseStatusChangedV1Schema,
  RootCauseRecorded: RootCauseRecordedV1Schema,
  ActionItemAdded: ActionItemAddedV1Schema,
  ActionItemCompleted: ActionItemCompletedV1Schema,
  AcknowledgementDeadlineScheduled: AcknowledgementDeadlineScheduledV1Schema,
  IncidentEscalated: IncidentEscalatedV1Schema,
} as const;

/** Correlation's window events (`correlation-<fingerprint>`), kept in the log and never relayed. */
export const CORRELATION_PAYLOADS_V1 = { FailureObserved: FailureObservedV1Schema, IncidentLinked: IncidentLinkedV1Schema } as const;
