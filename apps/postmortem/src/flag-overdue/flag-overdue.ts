import { deterministicUuid } from '@incident/contracts';
import { decidePostmortem } from '@incident/postmortem-domain';
import { inTimerSpan } from '@incident/telemetry';
import type { EntityManager } from 'typeorm';
import { dueRow } from '../log/postmortem-due';
import { type FoldedPostmortem, lockPostmortem, type PostmortemDeps, readPostmortem, recordPostmortemEvents } from '../log/postmortem-log';

/**
 * Fires the due-time timer of a draft whose row the caller has claimed: folds the postmortem and
 * decides FlagOverdue. `now` is the wall clock, read at the poller's edge only and recorded as
 * `firedAt`; the event's own time is the due time, so a replay never needs the clock.
 */
export async function flagOverdue(tx: EntityManager, deps: PostmortemDeps, incidentId: string, now: Date): Promise<void> {
  await lockPostmortem(tx, deps, incidentId);
  const folded = await readPostmortem(deps.store, incidentId);
  // A span of the incident's trace: the latest draft's, which set the due time.
  await inTimerSpan({ kind: 'postmortem-due', incidentId, recorded: folded.lastMetadata, firedAt: now }, async () => {
    const events = decidePostmortem({ kind: 'FlagOverdue', firedAt: now.toISOString() }, folded.state);
    // The due time is the cause: one flag per due time, however often the timer is seen.
    const dueAt = folded.state.status === 'none' ? 'none' : folded.state.dueAt;
    const cause = { eventId: deterministicUuid('postmortem-due', `${incidentId}@${dueAt}`), metadata: {} };
    if (events.length > 0) await recordPostmortemEvents(tx, deps, incidentId, folded, events, cause);
    // Nothing to flag because the log says it is flagged already: bring the row in line with it.
    else if (folded.state.status === 'overdue') await deps.due.markOverdue(tx, incidentId, folded.state.overdueAt ?? folded.state.dueAt);
    // Finalized through the API (which appends to the stream, not to this row): never due again.
    else if (folded.state.status === 'final') await settleFinal(tx, deps, folded);
    deps.metrics?.decided('FlagOverdue', events);
  });
}

async function settleFinal(tx: EntityManager, deps: PostmortemDeps, folded: FoldedPostmortem): Promise<void> {
  const row = dueRow(folded.state, folded.version);
  if (row) await deps.due.upsert(tx, row);
}
