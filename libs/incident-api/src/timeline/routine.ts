import { actorOf, count, pct } from './format';
import type { EntryBody, TimelineEvent } from './timeline';

/** A run of routine events between two decisions, folded into counts. */
export interface Aggregate {
  first: TimelineEvent;
  last: TimelineEvent;
  count: number;
  add(e: TimelineEvent): void;
  describe(): EntryBody;
}

const TOP = 3;

/** SignalAttached: how many, at which levels, from which components, with which codes, how many users. */
export function signalAggregate(first: TimelineEvent): Aggregate {
  const levels = new Tally();
  const components = new Tally();
  const codes = new Tally();
  const users = new Set<string>();
  const run: Aggregate = {
    first,
    last: first,
    count: 0,
    add(e) {
      run.last = e;
      run.count++;
      levels.add(e.payload['level']);
      components.add(e.payload['component']);
      codes.add(e.payload['errorCode']);
      if (typeof e.payload['userId'] === 'string') users.add(e.payload['userId']);
    },
    describe() {
      const parts = [levels.top(TOP, run.count), components.top(TOP, run.count, 'component'), codes.top(TOP, run.count, 'error code')].filter(Boolean);
      if (users.size > 0) parts.push(`${count(users.size)} ${users.size === 1 ? 'user' : 'users'}`);
      const noun = run.count === 1 ? 'signal' : 'signals';
      return { what: `${count(run.count)} ${noun} attached${parts.length ? ` (${parts.join('; ')})` : ''}`, actor: actorOf(first, 'correlation') };
    },
  };
  return run;
}

/** ErrorRateMeasured: one measurement in full, several as the latest and the peak. */
export function rateAggregate(first: TimelineEvent): Aggregate {
  let peak = 0;
  const run: Aggregate = {
    first,
    last: first,
    count: 0,
    add(e) {
      run.last = e;
      run.count++;
      peak = Math.max(peak, num(e.payload['errorRate']));
    },
    describe() {
      const p = run.last.payload;
      const latest = `${pct(num(p['errorRate']))} (${count(num(p['errors']))} of ${count(num(p['requests']))} requests)`;
      const what = run.count === 1 ? `error rate measured: ${latest}` : `error rate measured ${count(run.count)} times: latest ${latest}, peak ${pct(peak)}`;
      return { what, actor: actorOf(first, 'correlation') };
    },
  };
  return run;
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** Counts of a field's values; the top few are named, the rest summed as "others". */
class Tally {
  private readonly counts = new Map<string, number>();

  add(value: unknown): void {
    if (typeof value !== 'string' || value.length === 0) return;
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }

  /** `total`: events in the run; a value every one of them had is named without its count. */
  top(n: number, total: number, label?: string): string {
    if (this.counts.size === 0) return '';
    const prefix = label ? `${label}${this.counts.size === 1 ? '' : 's'} ` : '';
    const [only] = this.counts;
    if (this.counts.size === 1 && only[1] === total) return `${prefix}${only[0]}`;
    const sorted = [...this.counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    const named = sorted.slice(0, n).map(([value, c]) => `${value} x${count(c)}`);
    const others = sorted.slice(n).reduce((sum, [, c]) => sum + c, 0);
    if (others > 0) named.push(`${count(others)} others`);
    return `${prefix}${named.join(', ')}`;
  }
}
