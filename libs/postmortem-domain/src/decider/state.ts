import type { BlameWarning } from '../blame/detect-blame';
import type { Postmortem } from '../postmortem';
import type { PostmortemEvent } from './events';

/** One incident's postmortem, folded from its stream: nothing yet, a draft, a draft past due, or final. */
export type PostmortemState =
  | { status: 'none'; version: 0 }
  | {
      status: 'draft' | 'overdue' | 'final';
      incidentId: string;
      revision: number;
      postmortem: Postmortem;
      blameWarnings: BlameWarning[];
      dueAt: string;
      draftedAt: string;
      overdueAt?: string;
      finalized?: { at: string; by: string };
      version: number;
    };

export const initialPostmortem: PostmortemState = { status: 'none', version: 0 };

export function evolvePostmortem(state: PostmortemState, event: PostmortemEvent): PostmortemState {
  const version = state.version + 1;
  switch (event.type) {
    case 'PostmortemDrafted': {
      const d = event.data;
      // A re-draft after the due time keeps the flag: it is late whatever changed.
      const status = state.status === 'overdue' ? 'overdue' : 'draft';
      const overdueAt = state.status === 'overdue' ? { overdueAt: state.overdueAt } : {};
      return { status, incidentId: d.incidentId, revision: d.revision, postmortem: d.postmortem, blameWarnings: d.blameWarnings, dueAt: d.dueAt, draftedAt: d.at, ...overdueAt, version };
    }
    case 'PostmortemOverdue':
      if (state.status === 'none') return state; // an overdue flag without its draft is ignored, never thrown on
      return { ...state, status: 'overdue', overdueAt: event.data.at, version };
    case 'PostmortemFinalized':
      if (state.status === 'none') return state;
      return { ...state, status: 'final', finalized: { at: event.data.at, by: event.data.actor }, version };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function foldPostmortem(events: readonly PostmortemEvent[]): PostmortemState {
  return events.reduce(evolvePostmortem, initialPostmortem);
}
