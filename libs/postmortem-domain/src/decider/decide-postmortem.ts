import { reject } from '@incident/incident-domain';
import { postmortemBlame } from '../blame/detect-blame';
import { draftPostmortem } from '../draft/draft-postmortem';
import type { HistoryEvent } from '../history';
import { type Postmortem, POSTMORTEM_POLICY } from '../postmortem';
import { POSTMORTEM_ACTOR, type PostmortemEvent } from './events';
import type { PostmortemState } from './state';

export type PostmortemCommand =
  /** Draft (again) from the incident's history up to the event that triggered it. */
  | { kind: 'DraftPostmortem'; history: readonly HistoryEvent[]; trigger: { type: string; version: number; at: string } }
  /** The due-time timer fired at `firedAt` (the wall clock, read at the poller's edge and recorded). */
  | { kind: 'FlagOverdue'; firedAt: string }
  /** A responder declares the current revision final; `expectedRevision` guards against finalizing unseen text. */
  | { kind: 'FinalizePostmortem'; at: string; actor: string; expectedRevision?: number };

/**
 * decide(command, state) for one incident's postmortem. Drafting is an expected outcome, never an
 * error: an incident that is not resolved yet, or a history that changes nothing the postmortem
 * says, decides no event. Time comes from the events and the command, never from a clock.
 */
export function decidePostmortem(command: PostmortemCommand, state: PostmortemState): PostmortemEvent[] {
  switch (command.kind) {
    case 'DraftPostmortem':
      return draft(command, state);
    case 'FlagOverdue':
      return flagOverdue(command.firedAt, state);
    case 'FinalizePostmortem':
      return finalize(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function draft(command: Extract<PostmortemCommand, { kind: 'DraftPostmortem' }>, state: PostmortemState): PostmortemEvent[] {
  // A final postmortem is the published text: later incident events (a note, a completed action
  // item) show in the incident's timeline, not in a silently changed postmortem.
  if (state.status === 'final') return [];
  // A redelivered or replayed older event must not turn the draft back to an older history.
  if (state.status !== 'none' && command.trigger.version <= state.postmortem.incidentVersion) return [];
  const postmortem = draftPostmortem(command.history);
  if (!postmortem) return [];
  if (state.status !== 'none' && sameContent(state.postmortem, postmortem)) return [];
  const revision = state.status === 'none' ? 1 : state.revision + 1;
  const rule = state.status === 'none' ? 'postmortem.draft-on-resolution' : 'postmortem.redraft-on-change';
  const basis = {
    rule,
    policyVersion: POSTMORTEM_POLICY.version,
    inputs: { trigger: command.trigger.type, incidentVersion: postmortem.incidentVersion, template: POSTMORTEM_POLICY.template },
  };
  const blameWarnings = postmortemBlame(postmortem, command.history);
  return [
    {
      type: 'PostmortemDrafted',
      data: { at: command.trigger.at, incidentId: postmortem.incidentId, revision, postmortem, blameWarnings, dueAt: postmortem.dueAt, basis, actor: POSTMORTEM_ACTOR },
    },
  ];
}

/** Once, when the due time has passed and the postmortem is still a draft. */
function flagOverdue(firedAt: string, state: PostmortemState): PostmortemEvent[] {
  if (state.status !== 'draft' || Date.parse(firedAt) < Date.parse(state.dueAt)) return [];
  const basis = { rule: 'postmortem.overdue', policyVersion: POSTMORTEM_POLICY.version, inputs: { dueAt: state.dueAt, firedAt, revision: state.revision } };
  return [{ type: 'PostmortemOverdue', data: { at: state.dueAt, incidentId: state.incidentId, revision: state.revision, dueAt: state.dueAt, basis, actor: POSTMORTEM_ACTOR } }];
}

/**
 * Finalizing is a person's command, so a state that does not allow it is an error (409/404 at the
 * API), not a quiet no-op: nothing drafted yet, already final, or a revision the caller did not read.
 */
function finalize(command: Extract<PostmortemCommand, { kind: 'FinalizePostmortem' }>, state: PostmortemState): PostmortemEvent[] {
  if (state.status === 'none') throw reject.notFound('a drafted postmortem');
  if (state.status === 'final') {
    throw reject.conflict('ALREADY_FINAL', `revision ${state.revision} was declared final by ${state.finalized?.by} at ${state.finalized?.at}`);
  }
  if (command.expectedRevision !== undefined && command.expectedRevision !== state.revision) {
    throw reject.conflict('STALE_REVISION', `the postmortem is at revision ${state.revision}, not ${command.expectedRevision}: read it again before finalizing`);
  }
  return [{ type: 'PostmortemFinalized', data: { at: command.at, incidentId: state.incidentId, revision: state.revision, actor: command.actor } }];
}

/**
 * Whether two drafts say the same thing. The version they were made from does not count: a
 * later event that changes nothing the postmortem says is no reason for a new revision. Keys are
 * compared sorted, because a draft read back from the log (jsonb) has its keys reordered.
 */
export function sameContent(a: Postmortem, b: Postmortem): boolean {
  const { incidentVersion: _a, ...restA } = a;
  const { incidentVersion: _b, ...restB } = b;
  return canonical(restA) === canonical(restB);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
