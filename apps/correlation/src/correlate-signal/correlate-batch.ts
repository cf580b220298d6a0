import type { EventEnvelope, SignalClassifiedV2 } from '@incident/contracts';
import { type CorrelationDecision, decideCorrelation, initialIncident } from '@incident/incident-domain';
import type { EntityManager } from 'typeorm';
import { DecisionPass } from '../log/decision-pass';
import { type CorrelationDeps, retryOnConflict } from '../log/record-decision';
import { correlateSignalCommand } from './correlate-signal.command';

export interface ClassifiedSignal {
  envelope: EventEnvelope;
  payload: SignalClassifiedV2;
}

/**
 * Classified signals (a consumer batch, or one message retried alone), in the consumer's
 * transaction. Grouped by fingerprint, each fingerprint's signals in the order they came: every
 * window and linked incident is read from the log once, each signal is decided on the state the
 * previous decisions left (kept in memory), and everything is appended at once with the versions
 * read (DecisionPass). A version conflict (another replica got there first, or a timer fired)
 * throws the pass away and decides the whole batch again on state read afresh.
 *
 * Transaction-scoped advisory locks per fingerprint, taken in one statement in sorted order,
 * serialise the (rare) replicas that handle one fingerprint at once, e.g. during a rebalance,
 * so they queue instead of repeatedly invalidating each other's decisions; the expected versions
 * stay the guarantee. Returns the decisions, fingerprint by fingerprint.
 */
export async function correlateSignals(tx: EntityManager, deps: CorrelationDeps, signals: readonly ClassifiedSignal[]): Promise<CorrelationDecision[]> {
  const byFingerprint = new Map<string, ClassifiedSignal[]>();
  for (const signal of signals) {
    const fingerprint = signal.payload.classification.fingerprint;
    const group = byFingerprint.get(fingerprint) ?? [];
    group.push(signal);
    byFingerprint.set(fingerprint, group);
  }
  const fingerprints = [...byFingerprint.keys()].sort();
  if (fingerprints.length === 0) return [];
  await tx.query('SELECT count(pg_advisory_xact_lock(hashtextextended(key, 0))) FROM unnest($1::text[]) AS key', [
    fingerprints.map((fingerprint) => `correlation:${deps.schema}:${fingerprint}`),
  ]);
  const decisions = await retryOnConflict(tx, deps, async () => {
    const pass = new DecisionPass(tx, deps);
    await pass.load(fingerprints);
    const decided: CorrelationDecision[] = [];
    for (const fingerprint of fingerprints) {
      for (const signal of byFingerprint.get(fingerprint) ?? []) decided.push(await decideOne(pass, deps, signal));
    }
    await pass.record();
    return decided;
  });
  for (const decision of decisions) deps.metrics?.decided('CorrelateSignal', decision);
  return decisions;
}

async function decideOne(pass: DecisionPass, deps: CorrelationDeps, { envelope, payload }: ClassifiedSignal): Promise<CorrelationDecision> {
  const fingerprint = payload.classification.fingerprint;
  const correlation = pass.correlation(fingerprint);
  const linked = correlation.linkedIncidentId;
  const incident = linked ? await pass.incident(linked) : initialIncident;
  const command = correlateSignalCommand(payload, await pass.latestTraffic(payload.source));
  const decided = decideCorrelation(command, { correlation, incident }, deps.policy);
  const cause = { eventId: envelope.id, metadata: envelope.metadata };
  pass.addCorrelationEvents(fingerprint, decided.correlationEvents, cause);
  if (decided.incidentId) await pass.addIncidentEvents(decided.incidentId, decided.incidentEvents, cause);
  return decided;
}
