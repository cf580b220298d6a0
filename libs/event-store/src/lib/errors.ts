import type { ExpectedVersion } from './types';

/** The stream moved on since the caller read it: reload, decide again, retry. */
export class ConcurrencyError extends Error {
  readonly code = 'STREAM_VERSION_CONFLICT' as const;

  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(
      `stream ${streamId}: expected version ${String(expected)}, but the stream is at version ${actual}`,
    );
    this.name = 'ConcurrencyError';
  }
}

/**
 * An event id that is already stored in a different stream. Not treated as a harmless retry:
 * the same id naming two different facts is a bug in the caller's id generation.
 */
export class EventIdConflictError extends Error {
  readonly code = 'EVENT_ID_CONFLICT' as const;

  constructor(
    readonly eventId: string,
    readonly streamId: string,
    readonly storedInStreamId: string,
  ) {
    super(
      `event ${eventId} cannot be appended to stream ${streamId}: it is already stored in stream ${storedInStreamId}`,
    );
    this.name = 'EventIdConflictError';
  }
}

/** The events handed to append are malformed; nothing was stored. */
export class InvalidEventError extends Error {
  readonly code = 'INVALID_EVENT' as const;

  constructor(message: string) {
    super(message);
    this.name = 'InvalidEventError';
  }
}
