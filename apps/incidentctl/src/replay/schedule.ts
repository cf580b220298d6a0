import { CURRENT_RULE_SET } from '@incident/classification';
import { SIGNAL_RECEIVED, type SignalReceivedV2, TRAFFIC_SAMPLED, type TrafficSampledV1 } from '@incident/contracts';
import { type IncidentEvent, isIncidentEventType, POLICY_V1 } from '@incident/incident-domain';
import { actorOf, causationOf, type RecordedEvent, type RecordedLog } from './recorded';

/** One thing that happened to correlation, at the place in the log where it happened. */
export type Step =
  | { kind: 'signal'; received: RecordedEvent & { payload: SignalReceivedV2 }; ruleSetVersion: string; policyVersion: string }
  /** A traffic sample became the source's latest (when ingest recorded it). */
  | { kind: 'traffic-recorded'; sample: TrafficSampledV1 }
  /** Correlation measured the source's open incidents with it (when it handled it). */
  | { kind: 'traffic-measured'; sampleId: string; metadata: Record<string, unknown>; sample: TrafficSampledV1; policyVersion: string }
  /** The resolve-timer poller ran at `firedAt` (wall clock, recorded in what it decided). */
  | { kind: 'timer-tick'; firedAt: string; policyVersion: string }
  /** A person's (or another service's) event on an incident: replayed as recorded, not re-decided. */
  | { kind: 'responder'; incidentId: string; event: RecordedEvent };

export interface Scheduled {
  steps: Step[];
  /** The versions the recorded decisions name, for the report and for telling a what-if from a check. */
  recorded: { ruleSets: string[]; policies: string[] };
  /** Signals that had no recorded classification (the classifier had not got to them). */
  unclassified: number;
}

export interface VersionChoice {
  /** Classify every signal under this rule set instead of the recorded one. */
  ruleSet?: string;
  /** Decide correlation under this policy instead of the recorded one. */
  policy?: string;
}

/**
 * Orders the inputs as correlation met them. A signal is placed where correlation recorded its
 * first decision about it (else where its classification, else where it, was recorded): the
 * classifier's hop means a traffic sample recorded after a signal may well have been correlation's
 * latest when that signal was decided, and which one it was decides whether an incident opens on
 * its error rate. Timer ticks sit where their firings were recorded. Pure.
 */
export function schedule(log: RecordedLog, choice: VersionChoice = {}): Scheduled {
  const classificationOf = new Map<string, RecordedEvent>();
  for (const c of log.classifications) {
    const cause = causationOf(c);
    if (cause && !classificationOf.has(cause)) classificationOf.set(cause, c);
  }
  const firstDecision = new Map<string, RecordedEvent>();
  for (const d of log.decisions) {
    const cause = causationOf(d);
    if (cause && !firstDecision.has(cause)) firstDecision.set(cause, d);
  }
  const ruleSets = versions(log.classifications.map((c) => ((c.payload['classification'] ?? {}) as Record<string, unknown>)['ruleSetVersion']));
  const policies = versions(log.decisions.filter((d) => actorOf(d) === 'correlation').map(policyOf));
  const defaultRules = choice.ruleSet ?? ruleSets.at(-1) ?? CURRENT_RULE_SET.version;
  const defaultPolicy = choice.policy ?? policies.at(-1) ?? POLICY_V1.version;
  const placed: { at: bigint; order: number; step: Step }[] = [];
  let unclassified = 0;
  let order = 0;
  const place = (at: bigint, step: Step) => placed.push({ at, order: order++, step });

  const handled = handledPositions(log.inputs, classificationOf, firstDecision);
  for (const input of log.inputs) {
    if (input.type === SIGNAL_RECEIVED) {
      const classified = classificationOf.get(input.id);
      if (!classified) unclassified++;
      const decided = classified && firstDecision.get(classified.id);
      const recordedRules = classified && ((classified.payload['classification'] ?? {}) as Record<string, unknown>)['ruleSetVersion'];
      place(handled.get(input.id) ?? input.position, {
        kind: 'signal',
        received: input as RecordedEvent & { payload: SignalReceivedV2 },
        ruleSetVersion: choice.ruleSet ?? (typeof recordedRules === 'string' ? recordedRules : defaultRules),
        policyVersion: choice.policy ?? policyOf(decided) ?? defaultPolicy,
      });
    } else if (input.type === TRAFFIC_SAMPLED) {
      const sample = input.payload as TrafficSampledV1;
      const decided = firstDecision.get(input.id);
      place(input.position, { kind: 'traffic-recorded', sample });
      place(decided?.position ?? input.position, { kind: 'traffic-measured', sampleId: input.id, metadata: input.metadata, sample, policyVersion: choice.policy ?? policyOf(decided) ?? defaultPolicy });
    }
  }
  placeTicksAndResponders(log.decisions, choice, defaultPolicy, place);
  placed.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.order - b.order));
  return { steps: placed.map((p) => p.step), recorded: { ruleSets, policies }, unclassified };
}

/**
 * Where correlation handled each signal: its first recorded decision (else its classification).
 * Within one fingerprint correlation takes signals in classification-stream order (the Kafka key),
 * but a consumer batch appends all its correlation streams before its incident streams, so a
 * later signal's first event can sit before an earlier one's: the running maximum per fingerprint
 * keeps the classification order, and the position keeps the order against traffic and timers.
 */
function handledPositions(
  inputs: readonly RecordedEvent[],
  classificationOf: ReadonlyMap<string, RecordedEvent>,
  firstDecision: ReadonlyMap<string, RecordedEvent>,
): Map<string, bigint> {
  const byFingerprint = new Map<string, { signalId: string; classified: RecordedEvent; at: bigint }[]>();
  for (const input of inputs) {
    const classified = classificationOf.get(input.id);
    if (!classified) continue;
    const fingerprint = String(((classified.payload['classification'] ?? {}) as Record<string, unknown>)['fingerprint']);
    const group = byFingerprint.get(fingerprint) ?? [];
    group.push({ signalId: input.id, classified, at: firstDecision.get(classified.id)?.position ?? classified.position });
    byFingerprint.set(fingerprint, group);
  }
  const handled = new Map<string, bigint>();
  for (const group of byFingerprint.values()) {
    group.sort((a, b) => (a.classified.position < b.classified.position ? -1 : 1));
    let last = 0n;
    for (const entry of group) {
      last = entry.at > last ? entry.at : last;
      handled.set(entry.signalId, last);
    }
  }
  return handled;
}

function placeTicksAndResponders(decisions: readonly RecordedEvent[], choice: VersionChoice, defaultPolicy: string, place: (at: bigint, step: Step) => void): void {
  const timers = new Set(decisions.filter((d) => d.type === 'ResolveTimerScheduled').map((d) => d.id));
  const ticks = new Set<string>();
  for (const d of decisions) {
    if (!d.streamId.startsWith('incident-') || !isIncidentEventType(d.type)) continue;
    const actor = actorOf(d);
    if (actor === 'correlation') {
      const firedAt = firedAtOf(d, timers);
      // One tick per instant the poller ran: every incident due then fires in it.
      if (firedAt && !ticks.has(firedAt)) {
        ticks.add(firedAt);
        place(d.position, { kind: 'timer-tick', firedAt, policyVersion: choice.policy ?? policyOf(d) ?? defaultPolicy });
      }
    } else if (!isEscalation(d.type)) {
      place(d.position, { kind: 'responder', incidentId: d.streamId.slice('incident-'.length), event: d });
    }
  }
}

/** A resolve-timer firing: the resolution it decided (firedAt in its inputs) or the timer it set again. */
function firedAtOf(d: RecordedEvent, timers: ReadonlySet<string>): string | undefined {
  const cause = causationOf(d);
  const data = d.payload as Extract<IncidentEvent, { type: 'IncidentResolved' }>['data'];
  if (d.type === 'IncidentResolved' && data.basis?.rule === 'resolve.quiet-period') {
    const firedAt = data.basis.inputs?.['firedAt'];
    return typeof firedAt === 'string' ? new Date(firedAt).toISOString() : d.recordedAt;
  }
  if (d.type === 'ResolveTimerScheduled' && cause && timers.has(cause)) return new Date(String(d.payload['at'])).toISOString();
  return undefined;
}

// The remediation service's deadlines live in the incident stream but play no part in correlation.
function isEscalation(type: string): boolean {
  return type === 'AcknowledgementDeadlineScheduled' || type === 'IncidentEscalated';
}

function policyOf(d: RecordedEvent | undefined): string | undefined {
  if (!d) return undefined;
  const basis = d.payload['basis'] as { policyVersion?: unknown } | undefined;
  const version = d.payload['policyVersion'] ?? basis?.policyVersion;
  return typeof version === 'string' ? version : undefined;
}

/** Distinct versions in order of first appearance. */
function versions(values: readonly unknown[]): string[] {
  return [...new Set(values.filter((v): v is string => typeof v === 'string'))];
}
