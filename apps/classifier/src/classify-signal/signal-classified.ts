import { classify, type RuleSet } from '@incident/classification';
import {
  ALERT_LABEL_PREFIX,
  type EventEnvelope,
  SIGNAL_CLASSIFIED,
  type SignalClassifiedV1,
  type SignalReceivedV1,
  Streams,
  deterministicUuid,
} from '@incident/contracts';
import type { EventMetadata, NewEvent } from '@incident/event-store';

export const ACTOR = 'classifier';

/**
 * The id of the decision for one received signal under one rule set: a redelivered
 * SignalReceived yields the same id (stored once), a later rule set a new decision.
 */
export function signalClassifiedId(signalReceivedId: string, ruleSetVersion: string): string {
  return deterministicUuid(SIGNAL_CLASSIFIED, signalReceivedId + ruleSetVersion);
}

/**
 * SignalReceived -> the SignalClassified event to append to `classification-<fingerprint>`.
 * Pure: the rule set and the received event are all it reads.
 */
export function toSignalClassified(
  received: { envelope: EventEnvelope; payload: SignalReceivedV1 },
  ruleSet: RuleSet,
): { streamId: string; event: NewEvent; payload: SignalClassifiedV1 } {
  const { signal, signalId } = received.payload;
  const decision = classify(signal, ruleSet);
  // Normalised to UTC: correlation compares event times as ISO strings.
  const at = new Date(signal.timestamp ?? received.envelope.occurredAt).toISOString();
  const attributes = signal.attributes ?? {};
  const payload: SignalClassifiedV1 = {
    signalId,
    source: signal.source,
    at,
    // Publishers send failure signals; one that states no level is treated as an error.
    level: signal.level ?? 'ERROR',
    message: signal.message,
    ...(signal.component === undefined ? {} : { component: signal.component }),
    ...(signal.userId === undefined ? {} : { userId: signal.userId }),
    ...(signal.errorCode === undefined ? {} : { errorCode: String(signal.errorCode) }),
    ...alertOf(attributes),
    classification: {
      type: decision.type,
      fingerprint: decision.fingerprint,
      ruleId: decision.ruleId,
      ruleSetVersion: decision.ruleSetVersion,
      evidence: { ...decision.evidence },
    },
  };
  return {
    streamId: Streams.classification(decision.fingerprint),
    payload,
    event: {
      id: signalClassifiedId(received.envelope.id, decision.ruleSetVersion),
      type: SIGNAL_CLASSIFIED,
      schemaVersion: 1,
      occurredAt: new Date(at),
      payload,
      metadata: metadataFrom(received.envelope),
    },
  };
}

/** Causation is the event reacted to; correlation and trace context carry over from it. */
export function metadataFrom(cause: EventEnvelope): EventMetadata {
  const m = cause.metadata;
  const text = (key: string) => (typeof m[key] === 'string' && m[key] !== '' ? (m[key] as string) : undefined);
  return {
    causationId: cause.id,
    // A chain that started without a correlation id gets the id of its first event.
    correlationId: text('correlationId') ?? cause.id,
    ...(text('traceparent') ? { traceparent: text('traceparent') } : {}),
    ...(text('tracestate') ? { tracestate: text('tracestate') } : {}),
    actor: ACTOR,
  };
}

/** Ingest keeps an Alertmanager alert's status, fingerprint and labels as attributes. */
function alertOf(attributes: Record<string, unknown>): Pick<SignalClassifiedV1, 'alert'> {
  const status = attributes['alert.status'];
  const fingerprint = attributes['alert.fingerprint'];
  if ((status !== 'firing' && status !== 'resolved') || typeof fingerprint !== 'string') return {};
  const severity = attributes[`${ALERT_LABEL_PREFIX}severity`];
  return { alert: { fingerprint, status, ...(typeof severity === 'string' ? { severity } : {}) } };
}
