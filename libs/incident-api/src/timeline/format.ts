import type { TimelineEvent } from './timeline';

/** `2025-01-01 12:00:00 UTC`: seconds are what a reader compares; the entry's `at` keeps milliseconds. */
export function utc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** Who acted: the event's own `actor`, else the one in its metadata, else the service that writes it. */
export function actorOf(e: TimelineEvent, writer: string): string {
  const own = e.payload['actor'] ?? e.metadata['actor'];
  return typeof own === 'string' && own.length > 0 ? own : writer;
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}
