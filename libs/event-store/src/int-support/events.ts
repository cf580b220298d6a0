import { randomUUID } from 'node:crypto';
import type { NewEvent } from '../lib/types';

/** A valid event with defaults; override what the test is about. */
export function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type: 'SignalReceived',
    schemaVersion: 1,
    occurredAt: new Date('2025-01-01T00:00:00.000Z'),
    payload: {
      source: 'checkout',
      message: 'upstream timed out',
      level: 'ERROR',
    },
    metadata: { correlationId: 'corr-1', actor: 'ingest' },
    ...overrides,
  };
}

export function newEvents(
  count: number,
  overrides: Partial<NewEvent> = {},
): NewEvent[] {
  return Array.from({ length: count }, (_, i) =>
    newEvent({ payload: { n: i }, ...overrides }),
  );
}

export function streamName(prefix = 'incident'): string {
  return `${prefix}-${randomUUID()}`;
}
