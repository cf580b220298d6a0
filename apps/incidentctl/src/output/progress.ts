import type { Output } from '../cli/io';

export interface Progress {
  /** `done` units so far, of `total` when known. */
  update(done: number, total?: number): void;
  /** The closing line, always written (a long run ends with its figure even in a log file). */
  finish(summary: string): void;
}

export interface ProgressOptions {
  /** A terminal is redrawn at most this often. */
  ttyIntervalMs?: number;
  /** A pipe or log file gets a line at most this often, so CI logs stay short. */
  lineIntervalMs?: number;
  now?: () => number;
  /** A run that ends sooner than this, having shown nothing, writes no closing line either. */
  quietUnderMs?: number;
}

/**
 * Progress of a long run on stderr, so that stdout stays clean for --json and pipes. A terminal
 * sees one line redrawn in place; anything else an occasional full line with the rate.
 */
export function progress(out: Output, label: string, unit: string, opts: ProgressOptions = {}): Progress {
  const now = opts.now ?? Date.now;
  const started = now();
  const interval = out.isTTY ? (opts.ttyIntervalMs ?? 200) : (opts.lineIntervalMs ?? 5000);
  let last = started;
  let drawn = false;
  let wrote = false;
  const text = (done: number, total?: number) => {
    const seconds = Math.max((now() - started) / 1000, 1e-3);
    const of = total === undefined ? '' : ` of ${total.toLocaleString('en-US')}`;
    const pct = total ? ` (${((100 * done) / total).toFixed(0)}%)` : '';
    return `${label}: ${done.toLocaleString('en-US')}${of} ${unit}${pct}, ${Math.round(done / seconds).toLocaleString('en-US')} ${unit}/s, ${seconds.toFixed(1)} s`;
  };
  return {
    update(done, total) {
      const t = now();
      if (t - last < interval) return;
      last = t;
      if (out.isTTY) {
        out.write(`\r\x1b[2K${text(done, total)}`);
        drawn = true;
      } else {
        out.write(`${text(done, total)}\n`);
        wrote = true;
      }
    },
    finish(summary) {
      if (drawn) out.write('\r\x1b[2K');
      // A run too short to have shown progress ends quietly: stderr is for long runs.
      if (!drawn && !wrote && now() - started < (opts.quietUnderMs ?? 1000)) return;
      out.write(`${label}: ${summary} in ${((now() - started) / 1000).toFixed(1)} s\n`);
    },
  };
}

/** For work with no count to show (one long query): the elapsed time, ticking on a terminal only. */
export async function ticking<T>(out: Output, label: string, work: Promise<T>): Promise<T> {
  if (!out.isTTY) return work;
  const started = Date.now();
  const timer = setInterval(() => out.write(`\r\x1b[2K${label}… ${((Date.now() - started) / 1000).toFixed(0)} s`), 500);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    out.write('\r\x1b[2K');
  }
}
