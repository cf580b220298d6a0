import { deterministicUuid } from '@incident/contracts';
import { decideCorrelation, initialCorrelation } from '@incident/incident-domain';
import { inTimerSpan } from '@incident/telemetry';
import type { EntityManager } from 'typeorm';
import { incidentRow } from '../log/incidents-read-model';
import { type CorrelationDeps, recordIncidentEvents, retryOnConflict } from '../log/record-decision';

/**
 * Fires the resolve timer of an incident whose read-model row the caller has claimed: folds the
 * incident from the log and decides FireResolveTimer. `now` is the wall clock, read at the
 * poller's edge only and recorded as `firedAt` in what the decider appends, so a replay of the
 * log never needs the clock. It runs in a `fire resolve timer` span of the incident's trace.
 */
export async function fireResolveTimer(tx: EntityManager, deps: CorrelationDeps, incidentId: string, now: Date): Promise<void> {
  await retryOnConflict(tx, deps, async () => {
    const incident = await deps.streams.incident(incidentId);
    // The timer's own event is the cause: each firing derives its ids from the timer it fires, and
    // its span continues the trace the timer was set in.
    const cause = incident.timer ?? { eventId: deterministicUuid('resolve-timer', `${incidentId}@${now.toISOString()}`), metadata: {} };
    await inTimerSpan({ kind: 'resolve', incidentId, recorded: cause.metadata, firedAt: now }, async () => {
      const decision = decideCorrelation({ kind: 'FireResolveTimer', firedAt: now.toISOString() }, { correlation: initialCorrelation, incident: incident.state }, deps.policy);
      if (decision.incidentId && decision.incidentEvents.length > 0) {
        await recordIncidentEvents(tx, deps, incident, decision.incidentId, decision.incidentEvents, cause);
      } else {
        // Nothing to fire: the log says the incident is no longer open. Bring the row in line with it.
        const row = incidentRow(incident.state, incident.version);
        if (row) await deps.readModel.upsert(tx, row);
      }
      deps.metrics?.decided('FireResolveTimer', decision);
    });
  });
}
