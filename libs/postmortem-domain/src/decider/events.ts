import type { DecisionBasis } from '@incident/incident-domain';
import type { BlameWarning } from '../blame/detect-blame';
import type { Postmortem } from '../postmortem';

// Events of the postmortem stream (`postmortem-<incidentId>`), past tense.
export type PostmortemEvent =
  | {
      type: 'PostmortemDrafted';
      data: {
        /** Event time of the incident event the draft reacts to. */
        at: string;
        incidentId: string;
        /** 1 for the first draft, +1 for each re-draft. */
        revision: number;
        postmortem: Postmortem;
        blameWarnings: BlameWarning[];
        dueAt: string;
        basis: DecisionBasis;
        actor: string;
      };
    }
  | {
      /** A responder declared the revision final: it is neither re-drafted nor flagged overdue. */
      type: 'PostmortemFinalized';
      data: { at: string; incidentId: string; revision: number; actor: string };
    }
  | {
      type: 'PostmortemOverdue';
      data: {
        /** The due time: the timer's event time, however late the poller noticed. */
        at: string;
        incidentId: string;
        /** The revision that was still a draft when it fell due. */
        revision: number;
        dueAt: string;
        basis: DecisionBasis;
        actor: string;
      };
    };

export type PostmortemEventType = PostmortemEvent['type'];

export const POSTMORTEM_EVENT_TYPES: readonly PostmortemEventType[] = ['PostmortemDrafted', 'PostmortemOverdue', 'PostmortemFinalized'];

export function isPostmortemEventType(type: string): type is PostmortemEventType {
  return (POSTMORTEM_EVENT_TYPES as readonly string[]).includes(type);
}

/** Who writes the postmortem stream: the postmortem service, recorded as every event's actor. */
export const POSTMORTEM_ACTOR = 'postmortem';
