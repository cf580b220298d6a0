import { Streams } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import type { Log } from '../cli/database';
import type { Progress } from '../output/progress';
import { compare, type Comparison, type IncidentOutcome, outcomes } from './outcome';
import { causationOf, type RecordedEvent, type RecordedLog, type ReplayWindow } from './recorded';
import { readRecorded } from './read-recorded';
import { Replayer } from './replayer';
import { schedule, type VersionChoice } from './schedule';
import type { ScratchLog } from './scratch-log';
import { ScratchWriter } from './scratch-writer';

export interface ReplayResult {
  window: { from: string; to: string; sources: string[] | null };
  schema: string;
  scratchSchema: string;
  inputs: { signals: number; trafficSamples: number; timerTicks: number; responderEvents: number; unclassified: number };
  versions: {
    recorded: { ruleSets: string[]; policies: string[] };
    replayed: { ruleSets: string[]; policies: string[] };
  };
  /** True when the replay ran under the recorded versions (no --rules, or --rules naming them): a difference is a broken replay. */
  determinismCheck: boolean;
  eventsWritten: number;
  recorded: IncidentOutcome[];
  replayed: IncidentOutcome[];
  comparison: Comparison;
}

/**
 * Reads the window from the real log in one read-only snapshot, decides every step again into the
 * scratch log, folds the incidents back out of the scratch log, and holds them against the
 * recorded ones. The real log is only ever read.
 */
export async function runReplay(log: Log, scratch: ScratchLog, window: ReplayWindow, choice: VersionChoice, bar: Progress): Promise<ReplayResult> {
  const recordedLog = await log.dataSource.transaction('REPEATABLE READ', async (tx) => {
    await tx.query('SET TRANSACTION READ ONLY');
    return readRecorded(tx, log.s, window);
  });
  const plan = schedule(recordedLog, choice);
  const replayer = new Replayer();
  const writer = new ScratchWriter(scratch.store);
  let done = 0;
  for (const step of plan.steps) {
    for (const append of replayer.step(step)) await writer.add(append);
    bar.update(++done, plan.steps.length);
  }
  await writer.flush();
  const written = writer.written;
  const replayedStreams = new Map<string, StoredEvent[]>();
  for (const id of replayer.incidentIds()) replayedStreams.set(id, await scratch.store.readStream(Streams.incident(id)));
  const replayed = outcomes(replayedStreams);
  const recorded = outcomes(recordedIncidents(recordedLog));
  const count = (kind: string) => plan.steps.filter((s) => s.kind === kind).length;
  const used = (kind: 'ruleSetVersion' | 'policyVersion') => [...new Set(plan.steps.map((s) => (kind in s ? (s as Record<string, unknown>)[kind] : undefined)).filter((v): v is string => typeof v === 'string'))];
  const replayedVersions = { ruleSets: used('ruleSetVersion'), policies: used('policyVersion') };
  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString(), sources: window.sources ? [...window.sources] : null },
    schema: log.schema,
    scratchSchema: scratch.schema,
    inputs: { signals: count('signal'), trafficSamples: count('traffic-recorded'), timerTicks: count('timer-tick'), responderEvents: count('responder'), unclassified: plan.unclassified },
    versions: { recorded: plan.recorded, replayed: replayedVersions },
    determinismCheck: (!choice.ruleSet && !choice.policy) || sameVersions(plan.recorded, replayedVersions),
    eventsWritten: written,
    recorded,
    replayed,
    comparison: compare(recorded, replayed),
  };
}

/** The recorded incidents the window's signals opened, with their events as the replay could see them. */
function recordedIncidents(log: RecordedLog): Map<string, RecordedEvent[]> {
  const classified = new Set(log.classifications.map((c) => c.id));
  const streams = new Map<string, RecordedEvent[]>();
  for (const e of log.decisions) {
    if (!e.streamId.startsWith('incident-')) continue;
    const id = e.streamId.slice('incident-'.length);
    if (e.type === 'IncidentOpened' && e.streamVersion === 1 && classified.has(causationOf(e) ?? '')) streams.set(id, []);
    streams.get(id)?.push(e);
  }
  return streams;
}

function sameVersions(recorded: { ruleSets: string[]; policies: string[] }, replayed: { ruleSets: string[]; policies: string[] }): boolean {
  const same = (a: string[], b: string[]) => b.every((v) => a.includes(v));
  return same(recorded.ruleSets, replayed.ruleSets) && same(recorded.policies, replayed.policies);
}
