import { SIGNAL_CLASSIFIED, SIGNAL_CLASSIFIED_VERSION, SignalClassifiedV2Schema, type SignalClassifiedV2, Streams, type EventEnvelope } from '@incident/contracts';
import { type CorrelationDecision, decideCorrelation, initialIncident } from '@incident/incident-domain';
import { defineHandler, type MessageHandler } from '@incident/messaging';
import type { EntityManager } from 'typeorm';
import { toNewEvents } from '../log/decision-events';
import type { FoldedIncident } from '../log/folded-streams';
import { type CorrelationDeps, recordIncidentEvents, retryOnConflict } from '../log/record-decision';
import { type TypedMessage, typedEnvelope } from '../log/typed-envelope';
import { correlateSignalCommand } from './correlate-signal.command';

const none: FoldedIncident = { state: initialIncident, version: 0 };

/**
 * One classified signal: fold its fingerprint's window and linked incident from the log,
 * decide, and append both streams' events with expected versions in the consumer's
 * transaction. A transaction-scoped advisory lock per fingerprint serialises the (rare) replicas
 * that handle one fingerprint at once, e.g. during a rebalance, so they queue instead of
 * repeatedly invalidating each other's decisions; the expected versions stay the guarantee.
 */
export async function correlateSignal(tx: EntityManager, deps: CorrelationDeps, envelope: EventEnvelope, p: SignalClassifiedV2): Promise<CorrelationDecision> {
  const fingerprint = p.classification.fingerprint;
  const cause = { eventId: envelope.id, metadata: envelope.metadata };
  await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`correlation:${deps.schema}:${fingerprint}`]);
  const decision = await retryOnConflict(tx, deps, async () => {
    const correlation = await deps.streams.correlation(fingerprint);
    const linked = correlation.state.linkedIncidentId;
    if (linked) await deps.readModel.lock(tx, linked);
    const incident = linked ? await deps.streams.incident(linked) : none;
    const command = correlateSignalCommand(p, await deps.streams.latestTraffic(p.source));
    const decided = decideCorrelation(command, { correlation: correlation.state, incident: incident.state }, deps.policy);
    if (decided.correlationEvents.length > 0) {
      const streamId = Streams.correlation(fingerprint);
      await deps.store.append(streamId, toNewEvents(streamId, decided.correlationEvents, cause), { expectedVersion: correlation.version, manager: tx });
    }
    if (decided.incidentId) await recordIncidentEvents(tx, deps, incident, decided.incidentId, decided.incidentEvents, cause);
    return decided;
  });
  deps.metrics?.decided('CorrelateSignal', decision);
  return decision;
}

/** The consumer of `incidents.classifications.v1` (group `correlation`). */
export function correlateSignalHandler(deps: CorrelationDeps, topic: string): MessageHandler<TypedMessage<SignalClassifiedV2>> {
  return defineHandler({
    topic,
    schema: typedEnvelope(SIGNAL_CLASSIFIED, SignalClassifiedV2Schema, SIGNAL_CLASSIFIED_VERSION),
    messageId: (message) => message.envelope.id,
    async handle(message, { manager }) {
      if (message.kind === 'handled') await correlateSignal(manager, deps, message.envelope, message.payload);
    },
  });
}
