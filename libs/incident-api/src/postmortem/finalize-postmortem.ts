import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import { ConcurrencyError, type EventMetadata, type EventStore } from '@incident/event-store';
import { reject } from '@incident/incident-domain';
import { decidePostmortem, foldPostmortem, isPostmortemEventType, type PostmortemEvent } from '@incident/postmortem-domain';

export interface FinalizeOutcome {
  incidentId: string;
  revision: number;
  /** The postmortem stream's version after the append. */
  version: number;
}

/**
 * A responder declares the postmortem's current revision final: read, fold, decide, append at the
 * version read. Throws IncidentCommandRejected (nothing drafted: 404; already final, a revision
 * the caller did not read, or a re-draft that slipped in before the append: 409).
 */
export async function finalizePostmortem(
  store: Pick<EventStore, 'readStream' | 'append'>,
  incidentId: string,
  command: { at: string; actor: string; expectedRevision?: number },
  metadata: EventMetadata,
): Promise<FinalizeOutcome> {
  const streamId = Streams.postmortem(incidentId);
  const stored = await store.readStream(streamId);
  const state = foldPostmortem(stored.flatMap((e) => (isPostmortemEventType(e.type) ? [{ type: e.type, data: e.payload } as PostmortemEvent] : [])));
  const events = decidePostmortem({ kind: 'FinalizePostmortem', ...command }, state);
  const version = stored[stored.length - 1].streamVersion;
  try {
    const result = await store.append(
      streamId,
      events.map((e) => ({ id: randomUUID(), type: e.type, schemaVersion: 1, occurredAt: new Date(e.data.at), payload: { ...e.data }, metadata })),
      { expectedVersion: version },
    );
    return { incidentId, revision: state.status === 'none' ? 0 : state.revision, version: result.nextExpectedVersion };
  } catch (error) {
    if (error instanceof ConcurrencyError) throw reject.conflict('STALE_REVISION', 'the postmortem was re-drafted meanwhile: read it again before finalizing');
    throw error;
  }
}
