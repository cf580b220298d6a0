/** Who and what caused an event; free-form beyond the well-known keys. */
export interface EventMetadata {
  correlationId?: string;
  causationId?: string;
  /** W3C trace context, so a consumer can continue the trace that wrote the event. */
  traceparent?: string;
  tracestate?: string;
  actor?: string;
  [k: string]: unknown;
}

export interface NewEvent {
  /** uuid; the idempotency key of the append. */
  id: string;
  type: string;
  schemaVersion: number;
  /** Event time: what decisions use, never the wall clock. */
  occurredAt: Date;
  payload: Record<string, unknown>;
  metadata?: EventMetadata;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  /** 1-based, contiguous within a stream. */
  streamVersion: number;
  /** bigint as a decimal string: positions outgrow Number.MAX_SAFE_INTEGER long before the log is full. */
  globalPosition: string;
  /** xid8 of the writing transaction, as a decimal string. */
  transactionId: string;
  recordedAt: Date;
  hash: string;
  metadata: EventMetadata;
}

/** Resume token for whole-log readers: (transaction id, global position), compared as a pair. */
export interface LogPosition {
  transactionId: string;
  globalPosition: string;
}

export const START: LogPosition = Object.freeze({
  transactionId: '0',
  globalPosition: '0',
});

/** A stream version, 'no_stream' (the stream must not exist yet) or 'any' (no check). */
export type ExpectedVersion = number | 'any' | 'no_stream';

export interface AppendResult {
  streamId: string;
  /** The stream's version after this append: pass it as expectedVersion next time. */
  nextExpectedVersion: number;
  appended: StoredEvent[];
  /** Ids of events that were already stored (a retry): they were not stored again. */
  duplicates: string[];
}

export type VerifyResult =
  | { ok: true; streamsChecked: number; eventsChecked: number }
  | { ok: false; streamId: string; streamVersion: number; reason: string };
