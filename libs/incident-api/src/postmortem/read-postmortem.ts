import { Streams } from '@incident/contracts';
import type { EventStore, StoredEvent } from '@incident/event-store';
import {
  type BlameWarning,
  foldHistory,
  foldPostmortem,
  historyEvent,
  type HistoryEvent,
  isOverdue,
  isPostmortemEventType,
  mergeHistories,
  type Postmortem,
  type PostmortemEvent,
  renderMarkdown,
  renderStatusUpdate,
} from '@incident/postmortem-domain';

/** The latest draft of an incident's postmortem, as JSON: the structured postmortem, never markdown. */
export interface PostmortemView {
  incidentId: string;
  revision: number;
  /** `overdue` once the service recorded PostmortemOverdue; `final` once a responder finalized it. */
  status: 'draft' | 'overdue' | 'final';
  /** Past its due time at the moment of the request (the playbook: within 24 hours of resolution). */
  overdue: boolean;
  dueAt: string;
  draftedAt: string;
  overdueRecordedAt: string | null;
  finalized: { at: string; by: string } | null;
  postmortem: Postmortem;
  blameWarnings: BlameWarning[];
}

export type PostmortemAnswer =
  | { kind: 'drafted'; view: PostmortemView; markdown: string }
  | { kind: 'no-incident' }
  | { kind: 'not-drafted'; message: string };

/**
 * The latest PostmortemDrafted of the incident, with its overdue flag as of `now`; when there is
 * none yet, why (no such incident, still open, or resolved moments ago and being drafted).
 */
export async function readPostmortem(store: Pick<EventStore, 'readStream'>, incidentId: string, now: Date): Promise<PostmortemAnswer> {
  const stored = await store.readStream(Streams.postmortem(incidentId));
  const state = foldPostmortem(stored.flatMap((e) => (isPostmortemEventType(e.type) ? [{ type: e.type, data: e.payload } as PostmortemEvent] : [])));
  if (state.status === 'none') return whyNotDrafted(store, incidentId);
  const view: PostmortemView = {
    incidentId,
    revision: state.revision,
    status: state.status,
    overdue: state.status === 'overdue' || isOverdue(state.dueAt, now.toISOString(), state.status === 'final'),
    dueAt: state.dueAt,
    draftedAt: state.draftedAt,
    overdueRecordedAt: state.overdueAt ?? null,
    finalized: state.finalized ?? null,
    postmortem: state.postmortem,
    blameWarnings: state.blameWarnings,
  };
  return { kind: 'drafted', view, markdown: renderMarkdown(view.postmortem, view) };
}

async function whyNotDrafted(store: Pick<EventStore, 'readStream'>, incidentId: string): Promise<PostmortemAnswer> {
  const state = foldHistory((await store.readStream(Streams.incident(incidentId))).map(historyEvent));
  if (state.status === 'none') return { kind: 'no-incident' };
  if (state.status === 'open') {
    return { kind: 'not-drafted', message: `incident ${incidentId} is still open: its postmortem is drafted when it resolves` };
  }
  return {
    kind: 'not-drafted',
    message: `incident ${incidentId} resolved at ${state.resolvedAt}, and the postmortem service has not drafted its postmortem yet: try again in a few seconds`,
  };
}

/** The playbook's communication template for the incident as it stands at `now`; undefined for no such incident. */
export async function readStatusUpdate(store: Pick<EventStore, 'readStream'>, incidentId: string, now: Date): Promise<string | undefined> {
  const history = await incidentHistory(store, incidentId);
  const state = foldHistory(history);
  if (state.status === 'none') return undefined;
  return renderStatusUpdate(state, history, now.toISOString());
}

/** The incident's stream and its remediation runs, merged in event-time order. */
async function incidentHistory(store: Pick<EventStore, 'readStream'>, incidentId: string): Promise<HistoryEvent[]> {
  const [incident, remediation]: StoredEvent[][] = await Promise.all([
    store.readStream(Streams.incident(incidentId)),
    store.readStream(Streams.remediation(incidentId)),
  ]);
  return mergeHistories(incident.map(historyEvent), remediation.map(historyEvent));
}
