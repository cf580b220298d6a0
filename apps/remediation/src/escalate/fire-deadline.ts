import { deterministicUuid, Streams } from '@incident/contracts';
import { decideEscalation, evolveIncidentFacts, pendingDeadline } from '@incident/remediation-domain';
import { inTimerSpan } from '@incident/telemetry';
import type { EntityManager } from 'typeorm';
import { toNewEvents } from '../log/decision-events';
import { type RemediationDeps, retryOnConflict } from '../log/remediation-deps';

export const ESCALATION_EVENT = 'incident.escalated';

/**
 * Fires the acknowledgement deadline of an incident whose row the caller has claimed: folds the
 * incident from the log and decides. `now` is the wall clock, read at the poller's edge only and
 * recorded as `firedAt`. The escalation is queued for ESCALATION_WEBHOOK_URL in the same
 * transaction that records it: it is sent after it is recorded, and never lost in between. It runs
 * in a `fire acknowledgement timer` span of the incident's trace.
 */
export async function fireDeadline(tx: EntityManager, deps: RemediationDeps, incidentId: string, now: Date): Promise<void> {
  await retryOnConflict(tx, deps, async () => {
    const incident = await deps.streams.incident(incidentId);
    // The deadline's own event is the cause: each firing derives its ids from the timer it fires,
    // and its span continues the trace the deadline was set in.
    const cause = incident.deadline ?? { eventId: deterministicUuid('acknowledgement-deadline', `${incidentId}@${now.toISOString()}`), metadata: {} };
    await inTimerSpan({ kind: 'acknowledgement', incidentId, recorded: cause.metadata, firedAt: now }, async () => {
      const events = decideEscalation({ kind: 'FireAcknowledgementDeadline', firedAt: now.toISOString() }, incident.state, deps.escalation);
      let { state, version } = incident;
      if (events.length > 0) {
        const streamId = Streams.incident(incidentId);
        const { appended, nextExpectedVersion } = await deps.store.append(streamId, toNewEvents(streamId, events, cause), { expectedVersion: incident.version, manager: tx });
        version = nextExpectedVersion;
        state = events.reduce(evolveIncidentFacts, state);
        deps.metrics?.decided('IncidentEscalated');
        for (const event of events) if (event.type === 'IncidentEscalated') deps.metrics?.deadlineMissed?.(event.data.severity);
        const webhook = deps.escalationWebhook;
        for (const [i, event] of events.entries()) {
          const stored = appended[i];
          if (!webhook || event.type !== 'IncidentEscalated' || !stored || state.status === 'none') continue;
          const payload = {
            type: ESCALATION_EVENT, deliveryId: stored.id, incidentId, title: state.title, source: state.source, incidentType: state.type,
            severity: event.data.severity, deadline: event.data.deadline, missedByMs: event.data.missedByMs, firedAt: event.data.firedAt,
            rule: event.data.basis.rule, policyVersion: event.data.basis.policyVersion,
          };
          await deps.timers.enqueue(tx, 'escalation-webhook', stored.id, incidentId, payload, now);
        }
      }
      await deps.timers.schedule(tx, 'acknowledgement', incidentId, pendingDeadline(state), version);
    });
  });
}
