import { type EventEnvelope, TRAFFIC_SAMPLED, TrafficSampledV1Schema, type TrafficSampledV1 } from '@incident/contracts';
import { decideCorrelation, initialCorrelation, type TrafficMeasurement } from '@incident/incident-domain';
import { defineHandler, type MessageHandler } from '@incident/messaging';
import type { EntityManager } from 'typeorm';
import { type CorrelationDeps, recordIncidentEvents, retryOnConflict } from '../log/record-decision';
import { type TypedMessage, typedEnvelope } from '../log/typed-envelope';

export function measurementOf(sample: TrafficSampledV1): TrafficMeasurement {
  return {
    windowStart: new Date(sample.windowStart).toISOString(),
    windowEnd: new Date(sample.windowEnd).toISOString(),
    requests: sample.requests,
    errors: sample.errors,
  };
}

/**
 * A source's traffic sample measures the error rate of each of its open incidents (and may raise
 * their severity). The open incidents come from the read model, locked in id order; each is
 * decided and appended on its own, with its expected version.
 */
export async function measureErrorRate(tx: EntityManager, deps: CorrelationDeps, envelope: EventEnvelope, sample: TrafficSampledV1): Promise<number> {
  const cause = { eventId: envelope.id, metadata: envelope.metadata };
  const command = { kind: 'MeasureErrorRate' as const, traffic: measurementOf(sample) };
  const open = await deps.readModel.lockOpenOfSource(tx, sample.source);
  for (const incidentId of open) {
    await retryOnConflict(tx, deps, async () => {
      const incident = await deps.streams.incident(incidentId);
      // The correlation window plays no part in measuring an incident that is already open.
      const decision = decideCorrelation(command, { correlation: initialCorrelation, incident: incident.state }, deps.policy);
      if (decision.incidentId) await recordIncidentEvents(tx, deps, incident, decision.incidentId, decision.incidentEvents, cause);
      deps.metrics?.decided(command.kind, decision);
    });
  }
  return open.length;
}

/** The TrafficSampled consumer of `incidents.signals.v1` (group `correlation`); SignalReceived is the classifier's. */
export function measureErrorRateHandler(deps: CorrelationDeps, topic: string): MessageHandler<TypedMessage<TrafficSampledV1>> {
  return defineHandler({
    topic,
    schema: typedEnvelope(TRAFFIC_SAMPLED, TrafficSampledV1Schema),
    messageId: (message) => message.envelope.id,
    async handle(message, { manager }) {
      if (message.kind === 'handled') await measureErrorRate(manager, deps, message.envelope, message.payload);
    },
  });
}
