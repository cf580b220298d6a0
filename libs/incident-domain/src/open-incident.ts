import type { CorrelationCommand } from './commands';
import type { AttachedSignal, IncidentEvent } from './events';
import type { CorrelationPolicy } from './policy';
import { assessSeverity } from './severity';

type OpenRequest = Extract<CorrelationCommand, { kind: 'CorrelateSignal' }> & {
  rule: string;
  window: AttachedSignal[];
  errorRate?: number;
};

const MAX_TITLE = 200;

/** The events of a new incident: opened, the window's signals counted, its rate, its quiet timer. */
export function openIncident(r: OpenRequest, policy: CorrelationPolicy): IncidentEvent[] {
  const o = r.observation;
  const c = r.classification;
  const severity = assessSeverity({ level: o.level, alertSeverity: o.alert?.severity, errorRate: r.errorRate }, policy);
  const where = o.component ? `${c.source}/${o.component}` : c.source;
  const inputs: Record<string, string | number> = { signalId: o.signalId, failuresInWindow: r.window.length, windowMs: policy.windowMs };
  if (r.errorRate !== undefined) inputs['errorRate'] = r.errorRate;
  const events: IncidentEvent[] = [
    {
      type: 'IncidentOpened',
      data: {
        incidentId: r.incidentIdIfOpened, at: o.at, fingerprint: c.fingerprint, incidentType: c.type, source: c.source,
        title: `${c.type} in ${where}: ${o.message}`.slice(0, MAX_TITLE),
        severity: severity.severity, classification: c,
        basis: { rule: r.rule, policyVersion: policy.version, inputs: { ...inputs, severityRule: severity.basis.rule } },
      },
    },
    ...r.window.map((signal): IncidentEvent => ({ type: 'SignalAttached', data: signal })),
  ];
  if (r.traffic) {
    events.push({ type: 'ErrorRateMeasured', data: { at: r.traffic.windowEnd, ...r.traffic, errorRate: r.errorRate ?? 0 } });
  }
  const dueAt = new Date(Date.parse(o.at) + policy.quietPeriodMs).toISOString();
  events.push({ type: 'ResolveTimerScheduled', data: { at: o.at, dueAt, policyVersion: policy.version } });
  return events;
}
