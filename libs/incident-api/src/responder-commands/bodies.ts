import { SEVERITIES } from '@incident/contracts';
import { ACTION_ITEM_PRIORITIES, RESPONSE_STATUSES } from '@incident/incident-domain';
import { z } from 'zod';
import { MAX_VERSION } from '../http/params';

// Bounds keep one request from writing an event nobody can read: a note is a paragraph, a
// reason a sentence, the 5 Whys a short chain. Text is trimmed, so "   " is an empty field (400).
const SHORT = 200;
const SENTENCE = 1_000;
const PARAGRAPH = 4_000;
const MAX_ENTRIES = 20;

const required = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);

const text = (max: number, what: string) =>
  z
    .string({ error: required('a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .describe(what);

const oneOf = <const T extends readonly [string, ...string[]]>(values: T, what: string) =>
  z.enum(values, { error: required(`one of ${values.join(', ')}`) }).describe(what);

const list = (max: number, what: string) => z.array(text(SENTENCE, what), { error: required('an array of strings') }).max(max, `must have at most ${max} entries`);

/** The incident stream version the client saw: the command applies to that state or not at all. */
const expectedVersion = z
  .int({ error: required('a whole number') })
  .min(1, 'must be at least 1 (stream versions start at 1)')
  .max(MAX_VERSION, `must be at most ${MAX_VERSION}`)
  .describe('the incident version you read (`version` of GET /v1/incidents/{id}); a stale one is a 409');

const body = <S extends z.ZodRawShape>(shape: S, id: string) =>
  z.strictObject({ ...shape, expectedVersion }, { error: required('a JSON object') }).meta({ id });

export const AcknowledgeBodySchema = body({}, 'AcknowledgeIncident');

export const AddNoteBodySchema = body({ text: text(PARAGRAPH, 'the note') }, 'AddNote');

export const SetStatusBodySchema = body(
  {
    status: oneOf([...RESPONSE_STATUSES, 'resolved'], 'the response status; `resolved` resolves the incident'),
    reason: text(SENTENCE, 'why (recorded as the resolution when the status is `resolved`)').optional(),
  },
  'SetStatus',
);

export const ChangeSeverityBodySchema = body({ severity: oneOf(SEVERITIES, 'the new severity'), reason: text(SENTENCE, 'why the severity changes') }, 'ChangeSeverity');

const FishboneSchema = z
  .strictObject(
    {
      people: list(MAX_ENTRIES, 'people factors').default([]),
      process: list(MAX_ENTRIES, 'process factors').default([]),
      technology: list(MAX_ENTRIES, 'technology factors').default([]),
      environment: list(MAX_ENTRIES, 'environment factors').default([]),
    },
    { error: required('an object of people, process, technology and environment') },
  )
  .describe('the fishbone (Ishikawa) categories; a category left out is empty');

export const RecordRootCauseBodySchema = body(
  {
    fiveWhys: list(10, 'one answer per "why", first why first').min(1, 'needs at least one why'),
    fishbone: FishboneSchema,
    rootCause: text(PARAGRAPH, 'the root cause'),
    fix: text(PARAGRAPH, 'the fix'),
    contributingFactors: list(MAX_ENTRIES, 'contributing factors').default([]),
    wentWell: list(MAX_ENTRIES, 'what went well').default([]),
    wentPoorly: list(MAX_ENTRIES, 'what went poorly').default([]),
    lessonsLearned: list(MAX_ENTRIES, 'lessons learned').default([]),
  },
  'RecordRootCause',
);

export const AddActionItemBodySchema = body(
  {
    title: text(SHORT, 'what is to be done'),
    priority: oneOf(ACTION_ITEM_PRIORITIES, 'P0 (now), P1, P2'),
    owner: text(SHORT, 'the team or person who owns it'),
    dueDate: z.iso.date({ error: required('an ISO date, e.g. 2026-12-01') }).describe('due date (YYYY-MM-DD)'),
  },
  'AddActionItem',
);

export const CompleteActionItemBodySchema = body({}, 'CompleteActionItem');

export const ResolveBodySchema = body({ reason: text(SENTENCE, 'how it was resolved') }, 'ResolveIncident');

/** `:itemId` of an action item: the UUID the API handed out when it was added. */
export const ActionItemIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be an action item id (a UUID)')
  .transform((id) => id.toLowerCase())
  .describe('action item id (UUID)');

export type AcknowledgeBody = z.output<typeof AcknowledgeBodySchema>;
export type AddNoteBody = z.output<typeof AddNoteBodySchema>;
export type SetStatusBody = z.output<typeof SetStatusBodySchema>;
export type ChangeSeverityBody = z.output<typeof ChangeSeverityBodySchema>;
export type RecordRootCauseBody = z.output<typeof RecordRootCauseBodySchema>;
export type AddActionItemBody = z.output<typeof AddActionItemBodySchema>;
export type CompleteActionItemBody = z.output<typeof CompleteActionItemBodySchema>;
export type ResolveBody = z.output<typeof ResolveBodySchema>;
