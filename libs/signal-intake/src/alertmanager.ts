import { ALERT_ANNOTATION_PREFIX, ALERT_LABEL_PREFIX, type Signal, SignalSchema } from '@incident/contracts';
import { z } from 'zod';
import { type InputIssue, type Parsed, zodIssues } from './issues';

/** Alertmanager writes this for `endsAt` while an alert is still firing. */
export const STILL_FIRING = '0001-01-01T00:00:00Z';
const MAX_ATTRIBUTE_VALUE = 2_000;

const labels = z.record(z.string(), z.string());

// Webhook payload version 4. Loose objects: newer Alertmanagers add optional fields
// (truncatedAlerts, notification_reason, ...) and an older publisher must not be refused.
const AlertSchema = z.looseObject({
  status: z.enum(['firing', 'resolved']),
  labels,
  annotations: labels.default({}),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.string(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1),
});

export const AlertmanagerWebhookSchema = z.looseObject({
  version: z.literal('4'),
  groupKey: z.string(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  truncatedAlerts: z.number().int().nonnegative().optional(),
  alerts: z.array(AlertSchema).min(1),
});
type Alert = z.infer<typeof AlertSchema>;

/**
 * One signal per alert. The id is the alert's fingerprint + startsAt + status: a re-sent
 * notification is stored once, and the resolution of a firing alert is a signal of its own.
 */
export function alertmanagerToSignals(body: unknown): Parsed<Signal[]> {
  const parsed = AlertmanagerWebhookSchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: zodIssues('', parsed.error) };
  const issues: InputIssue[] = [];
  const signals = parsed.data.alerts.map((alert, i) => {
    const signal = alertToSignal(alert, parsed.data.receiver);
    const checked = SignalSchema.safeParse(signal);
    if (!checked.success) issues.push(...zodIssues(`alerts[${i}]`, checked.error));
    return signal;
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: signals };
}

function alertToSignal(alert: Alert, receiver: string): Signal {
  const l = alert.labels;
  const resolved = alert.status === 'resolved';
  const attributes: Record<string, string> = {
    'alert.status': alert.status,
    'alert.fingerprint': alert.fingerprint,
    'alert.startsAt': alert.startsAt,
    'alert.receiver': receiver,
  };
  if (alert.endsAt !== STILL_FIRING) attributes['alert.endsAt'] = alert.endsAt;
  for (const [k, v] of Object.entries(l)) attributes[ALERT_LABEL_PREFIX + k] = v.slice(0, MAX_ATTRIBUTE_VALUE);
  for (const [k, v] of Object.entries(alert.annotations)) attributes[ALERT_ANNOTATION_PREFIX + k] = v.slice(0, MAX_ATTRIBUTE_VALUE);

  return {
    id: `alertmanager:${alert.fingerprint}:${alert.startsAt}:${alert.status}`,
    source: l['service'] ?? l['job'] ?? l['app'] ?? l['namespace'] ?? 'alertmanager',
    component: l['component'] ?? l['pod'] ?? l['instance'] ?? l['alertname'],
    message: alert.annotations['summary'] ?? alert.annotations['description'] ?? l['alertname'] ?? 'alert',
    level: resolved ? 'INFO' : levelOf(l['severity']),
    timestamp: resolved && alert.endsAt !== STILL_FIRING ? alert.endsAt : alert.startsAt,
    attributes,
  };
}

function levelOf(severity: string | undefined): Signal['level'] {
  switch ((severity ?? '').toLowerCase()) {
    case 'critical':
    case 'page':
      return 'FATAL';
    case 'warning':
    case 'warn':
      return 'WARN';
    case 'info':
    case 'none':
      return 'INFO';
    default:
      return 'ERROR';
  }
}
