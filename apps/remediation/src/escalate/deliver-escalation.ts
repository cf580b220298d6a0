import { inTimerSpan } from '@incident/telemetry';
import type { EntityManager } from 'typeorm';
import { postSigned } from '../executors/post-signed';
import type { TimerRow } from '../log/remediation-timers';
import type { RemediationDeps } from '../log/remediation-deps';
import { ESCALATION_EVENT } from './fire-deadline';

export interface DeliveryLogger {
  error(message: string, context?: Record<string, unknown>): void;
}

/**
 * Sends one queued escalation to ESCALATION_WEBHOOK_URL, signed like every webhook; the row
 * keeps the attempts and the last error. A failure is tried again with doubling back-off, up to
 * ESCALATION_WEBHOOK_MAX_ATTEMPTS, then given up (and logged): the escalation itself stays
 * recorded in the incident's history either way. The delivery id is the escalation's event id,
 * so a receiver that sees a retry twice can tell.
 */
export async function deliverEscalation(tx: EntityManager, deps: RemediationDeps, row: TimerRow, now: Date, logger?: DeliveryLogger): Promise<void> {
  // The outbox row keeps no trace context (the webhook's body is its payload): each delivery
  // attempt is a trace of its own, findable by the incident and delivery id.
  const attributes = { 'remediation.delivery_id': row.key, 'remediation.attempt': row.attempts + 1 };
  await inTimerSpan({ kind: 'escalation-webhook', incidentId: row.incidentId, firedAt: now, attributes }, () => deliver(tx, deps, row, now, logger));
}

async function deliver(tx: EntityManager, deps: RemediationDeps, row: TimerRow, now: Date, logger?: DeliveryLogger): Promise<void> {
  const target = deps.escalationWebhook;
  if (!target || !row.payload) {
    await deps.timers.attempted(tx, row, null, 'ESCALATION_WEBHOOK_URL is not configured');
    return;
  }
  const attempt = row.attempts + 1;
  const result = await postSigned(target, ESCALATION_EVENT, row.key, { ...row.payload, attempt, sentAt: now.toISOString() });
  if (result.ok) {
    await deps.timers.attempted(tx, row, null, null);
    deps.metrics?.delivered('delivered');
    return;
  }
  const again = result.retryable && attempt < target.maxAttempts;
  const next = again ? new Date(now.getTime() + target.backoffMs * 2 ** (attempt - 1)) : null;
  await deps.timers.attempted(tx, row, next, result.error ?? 'failed');
  deps.metrics?.delivered(again ? 'failed' : 'given-up');
  if (!again) logger?.error('an escalation could not be delivered; it stays recorded in the incident history', { incidentId: row.incidentId, attempts: attempt, error: result.error });
}
