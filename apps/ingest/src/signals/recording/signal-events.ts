import {
  type Signal,
  SIGNAL_RECEIVED,
  SIGNAL_RECEIVED_VERSION,
  type SignalReceivedV2,
  Streams,
  TRAFFIC_SAMPLED,
  type TrafficSample,
  deterministicUuid,
} from '@incident/contracts';
import {
  canonicalJson,
  type EventMetadata,
  type ExpectedVersion,
  type NewEvent,
} from '@incident/event-store';
import {
  type SignalChannel,
  signalIdOf,
  signalReceivedEventId,
} from './signal-id';

/** Who and what a request or message was, as recorded in every event it produces. */
export interface RecordingContext {
  /** Wall-clock time of receipt: the event time of a signal that carries no timestamp. */
  receivedAt: Date;
  /** The API key's name, or the channel for unauthenticated intake. */
  actor: string;
  correlationId: string;
  traceparent?: string;
  tracestate?: string;
}

/** One append of the batch: a single event into its own stream. */
export interface PlannedAppend {
  /** What the answer calls the item: the signal id, or the traffic sample's event id. */
  itemId: string;
  streamId: string;
  expectedVersion: ExpectedVersion;
  event: NewEvent;
}

/**
 * A signal as SignalReceived v2: its `userId` never enters the log, only `userRef`, the user's
 * pseudonym from personal_data (see pseudonyms.ts), which a signal with a userId must come with.
 */
export function signalReceived(
  signal: Signal,
  channel: SignalChannel,
  ctx: RecordingContext,
  userRef?: string,
): PlannedAppend {
  const { userId, ...sent } = signal;
  if (userId !== undefined && userRef === undefined) throw new Error('a signal with a userId is recorded with its pseudonym (userRef), never the id');
  const signalId = signalIdOf(channel, signal, userRef);
  const payload: SignalReceivedV2 = { signalId, channel, signal: sent, ...(userId !== undefined ? { userRef } : {}) };
  return {
    itemId: signalId,
    streamId: Streams.signal(signalId),
    // A signal stream only ever holds its SignalReceived: anything else there is a conflict.
    expectedVersion: 'no_stream',
    event: {
      id: signalReceivedEventId(signalId),
      type: SIGNAL_RECEIVED,
      schemaVersion: SIGNAL_RECEIVED_VERSION,
      occurredAt:
        signal.timestamp !== undefined
          ? new Date(signal.timestamp)
          : ctx.receivedAt,
      payload,
      metadata: metadataOf(ctx),
    },
  };
}

/**
 * A sample's id is its content: a resent sample is stored once, while a corrected one for the
 * same window (other counts) is a new fact that correlation may take as the latest.
 */
export function trafficSampled(
  sample: TrafficSample,
  ctx: RecordingContext,
): PlannedAppend {
  const id = deterministicUuid(TRAFFIC_SAMPLED, canonicalJson(sample));
  return {
    itemId: id,
    streamId: Streams.source(sample.source),
    // Many writers append to one source stream; the samples do not depend on each other's order.
    expectedVersion: 'any',
    event: {
      id,
      type: TRAFFIC_SAMPLED,
      schemaVersion: 1,
      occurredAt: new Date(sample.windowEnd),
      payload: sample,
      metadata: metadataOf(ctx),
    },
  };
}

function metadataOf(ctx: RecordingContext): EventMetadata {
  return {
    actor: ctx.actor,
    correlationId: ctx.correlationId,
    ...(ctx.traceparent !== undefined ? { traceparent: ctx.traceparent } : {}),
    ...(ctx.tracestate !== undefined ? { tracestate: ctx.tracestate } : {}),
  };
}

// W3C trace context (https://www.w3.org/TR/trace-context/#traceparent-header-field-values):
// only a well-formed value is kept, because the relay forwards it to every consumer's tracer.
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;
const TRACESTATE_MAX = 512;

export function traceContext(
  traceparent: unknown,
  tracestate: unknown,
): Pick<RecordingContext, 'traceparent' | 'tracestate'> {
  if (typeof traceparent !== 'string' || !TRACEPARENT.test(traceparent.trim()))
    return {};
  const state =
    typeof tracestate === 'string' &&
    tracestate.length <= TRACESTATE_MAX &&
    tracestate.trim() !== ''
      ? tracestate.trim()
      : undefined;
  return {
    traceparent: traceparent.trim(),
    ...(state !== undefined ? { tracestate: state } : {}),
  };
}
