import { type EventEnvelope, TRAFFIC_SAMPLED, TrafficSampledV1Schema, type TrafficSampledV1 } from '@incident/contracts';
import { type CorrelationDecision, decideCorrelation, initialCorrelation, type TrafficMeasurement } from '@incident/incident-domain';
import { defineHandler, type MessageHandler } from '@incident/messaging';
import type { EntityManager } from 'typeorm';
import { DecisionPass } from '../log/decision-pass';
import { type CorrelationDeps, retryOnConflict } from '../log/record-decision';
import { type TypedMessage, typedEnvelope } from '../log/typed-envelope';

export function measurementOf(sample: TrafficSampledV1): TrafficMeasurement {
  return {
    windowStart: new Date(sample.windowStart).toISOString(),
    windowEnd: new Date(sample.windowEnd).toISOString(),
    requests: sample.requests,
    errors: sample.errors,
  };
}

export interface TrafficSample {
  envelope: EventEnvelope;
  payload: TrafficSampledV1;
}

/**
 * A source's traffic sample measures the error rate of each of its open incidents (and may raise
 * their severity). A batch of samples is one pass: the open incidents of every source in it are
 * locked from the read model in one statement (id order), each sample is decided in order on the
 * incident states the samples before it left, and all is appended at once (DecisionPass), at the
 * versions read. Returns how many incident measurements were decided.
 */
export async function measureErrorRates(tx: EntityManager, deps: CorrelationDeps, samples: readonly TrafficSample[]): Promise<number> {
  if (samples.length === 0) return 0;
  const open = await deps.readModel.lockOpenOfSources(tx, samples.map((s) => s.payload.source));
  const decisions = await retryOnConflict(tx, deps, async () => {
    const pass = new DecisionPass(tx, deps);
    const decided: CorrelationDecision[] = [];
    for (const { envelope, payload } of samples) {
      const cause = { eventId: envelope.id, metadata: envelope.metadata };
      const command = { kind: 'MeasureErrorRate' as const, traffic: measurementOf(payload) };
      for (const [incidentId, source] of open) {
        if (source !== payload.source) continue;
        // The correlation window plays no part in measuring an incident that is already open.
        const decision = decideCorrelation(command, { correlation: initialCorrelation, incident: await pass.incident(incidentId) }, deps.policy);
        if (decision.incidentId) await pass.addIncidentEvents(decision.incidentId, decision.incidentEvents, cause);
        decided.push(decision);
      }
    }
    await pass.record();
    return decided;
  });
  for (const decision of decisions) deps.metrics?.decided('MeasureErrorRate', decision);
  return decisions.length;
}

/** One sample: a batch of one. */
export function measureErrorRate(tx: EntityManager, deps: CorrelationDeps, envelope: EventEnvelope, sample: TrafficSampledV1): Promise<number> {
  return measureErrorRates(tx, deps, [{ envelope, payload: sample }]);
}

/** The TrafficSampled consumer of `incidents.traffic.v1` (group `correlation`). */
export function measureErrorRateHandler(deps: CorrelationDeps, topic: string): MessageHandler<TypedMessage<TrafficSampledV1>> {
  return defineHandler({
    topic,
    schema: typedEnvelope(TRAFFIC_SAMPLED, TrafficSampledV1Schema),
    messageId: (message) => message.envelope.id,
    // Only samples are routed here; anything else (a misrouted type) is passed by unread.
    handles: (type) => type === TRAFFIC_SAMPLED,
    async handleBatch(messages, { manager }) {
      const samples: TrafficSample[] = [];
      for (const { value } of messages) if (value.kind === 'handled') samples.push({ envelope: value.envelope, payload: value.payload });
      await measureErrorRates(manager, deps, samples);
    },
    async handle(message, { manager }) {
      if (message.kind === 'handled') await measureErrorRate(manager, deps, message.envelope, message.payload);
    },
  });
}
