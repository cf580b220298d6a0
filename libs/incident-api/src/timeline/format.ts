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

/** A payload field as text: strings as they are, anything else as JSON, a missing one as `?`. */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '?' : JSON.stringify(value);
}

/** Free text on one line, cut at `max` characters: a timeline entry summarises, the event keeps it all. */
export function clip(value: unknown, max = 120): string {
  const line = str(value).replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
