import {
  ALERT_LABEL_PREFIX,
  deterministicUuid,
  SIGNAL_CLASSIFIED,
  type SignalClassifiedV2,
  type SignalReceivedV2,
} from '@incident/contracts';
import { classify } from './classify';
import type { RuleSet } from './rule';

/**
 * The id of the decision for one received signal under one rule set: a redelivered
 * SignalReceived yields the same id (stored once), a later rule set a new decision.
 */
export function signalClassifiedId(signalReceivedId: string, ruleSetVersion: string): string {
  return deterministicUuid(SIGNAL_CLASSIFIED, signalReceivedId + ruleSetVersion);
}

/**
 * SignalReceived -> the SignalClassified payload (v2), with what correlation needs of the signal
 * itself. Pure: the classifier service and `incidentctl replay` both decide through this, so a
 * replay makes the decision the service made. `occurredAt` is the SignalReceived's event time.
 */
export function signalClassifiedPayload(received: SignalReceivedV2, occurredAt: Date | string, ruleSet: RuleSet): SignalClassifiedV2 {
  const { signal, signalId, userRef } = received;
  const decision = classify(signal, ruleSet);
  // Normalised to UTC: correlation compares event times as ISO strings.
  const at = new Date(signal.timestamp ?? occurredAt).toISOString();
  return {
    signalId,
    source: signal.source,
    at,
    // Publishers send failure signals; one that states no level is treated as an error.
    level: signal.level ?? 'ERROR',
    message: signal.message,
    ...(signal.component === undefined ? {} : { component: signal.component }),
    ...(userRef === undefined ? {} : { userRef }),
    ...(signal.errorCode === undefined ? {} : { errorCode: String(signal.errorCode) }),
    ...alertOf(signal.attributes ?? {}),
    classification: {
      type: decision.type,
      fingerprint: decision.fingerprint,
      ruleId: decision.ruleId,
      ruleSetVersion: decision.ruleSetVersion,
      evidence: { ...decision.evidence },
    },
  };
}

/** Ingest keeps an Alertmanager alert's status, fingerprint and labels as attributes. */
function alertOf(attributes: Record<string, unknown>): Pick<SignalClassifiedV2, 'alert'> {
  const status = attributes['alert.status'];
  const fingerprint = attributes['alert.fingerprint'];
  if ((status !== 'firing' && status !== 'resolved') || typeof fingerprint !== 'string') return {};
  const severity = attributes[`${ALERT_LABEL_PREFIX}severity`];
  return { alert: { fingerprint, status, ...(typeof severity === 'string' ? { severity } : {}) } };
}
