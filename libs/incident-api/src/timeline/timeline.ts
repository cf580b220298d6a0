import type { DecisionBasis } from '@incident/incident-domain';
import { describeDecision } from './decisions';
import { utc } from './format';
import { rememberTitle } from './responder';
import { type Aggregate, rateAggregate, signalAggregate } from './routine';

/** An event of the incident's stream, as the timeline reads it (the stored event's fields). */
export interface TimelineEvent {
  type: string;
  version: number;
  occurredAt: string;
  recordedAt: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface TimelineEntry {
  /** Event time (UTC) of the entry's first event. */
  at: string;
  /** Event time of the last event, when the entry stands for several. */
  until?: string;
  /** When the log recorded the first event. */
  recordedAt: string;
  versions: { from: number; to: number };
  event: string;
  /** Events the entry stands for: 1, or the size of a collapsed run. */
  count: number;
  /** What happened, in words. */
  what: string;
  /** Who or what decided. */
  actor: string;
  /** The rule, its policy version and the inputs it read, for decisions that record them. */
  basis?: DecisionBasis;
  /** The whole entry as one line. */
  text: string;
}

/** An entry's words; `actorNamed` when `what` already names the actor, so the line does not say it twice. */
export type EntryBody = Pick<TimelineEntry, 'what' | 'actor' | 'basis'> & { actorNamed?: boolean };

/**
 * The human timeline of one incident. Decisions (opened, severity changed, timers, resolved, what
 * responders record, and any event type added later) get a line each; the routine events
 * between two decisions are collapsed into one line per kind, SignalAttached into counts and
 * ErrorRateMeasured into the latest and peak rate, so a storm of 10,000 signals reads as one
 * line, not 10,000.
 */
export function renderTimeline(events: readonly TimelineEvent[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  let signals: Aggregate | undefined;
  let rates: Aggregate | undefined;
  const titles = new Map<string, string>();
  const flush = () => {
    const pending = [signals, rates].filter((a): a is Aggregate => a !== undefined);
    pending.sort((a, b) => a.first.version - b.first.version);
    for (const aggregate of pending) entries.push(entryOf(aggregate.first, aggregate.last, aggregate.count, aggregate.describe()));
    signals = rates = undefined;
  };
  for (const e of events) {
    if (e.type === 'SignalAttached') (signals ??= signalAggregate(e)).add(e);
    else if (e.type === 'ErrorRateMeasured') (rates ??= rateAggregate(e)).add(e);
    else {
      flush();
      rememberTitle(titles, e);
      entries.push(entryOf(e, e, 1, describeDecision(e, titles)));
    }
  }
  flush();
  return entries;
}

function entryOf(first: TimelineEvent, last: TimelineEvent, count: number, { actorNamed, ...body }: EntryBody): TimelineEntry {
  const at = eventTime(first);
  const until = count > 1 ? eventTime(last) : undefined;
  const entry: TimelineEntry = {
    at,
    ...(until ? { until } : {}),
    recordedAt: first.recordedAt,
    versions: { from: first.version, to: last.version },
    event: first.type,
    count,
    ...body,
    text: '',
  };
  entry.text = lineOf(entry, actorNamed === true);
  return entry;
}

/** The event's own time (`at` in the payload) when it has one, else when it occurred. */
export function eventTime(e: TimelineEvent): string {
  const at = e.payload['at'];
  const ms = typeof at === 'string' ? Date.parse(at) : Number.NaN;
  return new Date(Number.isNaN(ms) ? Date.parse(e.occurredAt) : ms).toISOString();
}

function lineOf(e: TimelineEntry, actorNamed: boolean): string {
  const when = e.until && e.until !== e.at ? `${utc(e.at)} to ${utc(e.until)}` : utc(e.at);
  const by = actorNamed ? '' : ` (by ${e.actor})`;
  const basis = e.basis ? ` [rule ${e.basis.rule}, ${e.basis.policyVersion}${inputsOf(e.basis)}]` : '';
  return `${when}  ${e.what}${by}${basis}`;
}

function inputsOf(basis: DecisionBasis): string {
  const inputs = Object.entries(basis.inputs ?? {});
  return inputs.length === 0 ? '' : `; inputs: ${inputs.map(([k, v]) => `${k}=${v}`).join(', ')}`;
}
