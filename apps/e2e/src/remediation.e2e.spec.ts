import { api, eventually, incidentsOf, type IncidentSummary, sendSignals, uniqueSource } from './support/stack';
import { deliveriesFor } from './support/webhook';

// Issue 4 acceptance, parts 2 and 3, through the running services: the remediation service
// proposes the runbook of an opened incident's type (and runs its steps through the stack's
// webhook: remediation-webhook.e2e.spec for signatures and failures), and escalates a
// SEV-2 left unacknowledged past its 15-minute response time in event time, exactly once, while
// an acknowledged one is never escalated.

const MINUTE = 60_000;

interface HistoryEvent {
  type: string;
  version: number;
  occurredAt: string;
  payload: Record<string, unknown>;
}

/** The remediation API, at the one base URL (ingest forwards it to the remediation service). */
async function remediation<T = Record<string, unknown>>(method: string, path: string, json?: unknown): Promise<{ status: number; body: T }> {
  const { status, body } = await api<T>(method, path, json === undefined ? {} : { json });
  return { status, body };
}

async function history(incidentId: string): Promise<HistoryEvent[]> {
  const res = await api<{ events: HistoryEvent[] }>('GET', `/v1/incidents/${incidentId}/events?limit=1000`);
  if (res.status !== 200) throw new Error(`GET events: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.events;
}

async function opened(source: string, type?: string): Promise<IncidentSummary> {
  const [incident] = await eventually(async () => {
    const found = await incidentsOf(source, type);
    return found.length > 0 ? found : undefined;
  }, 60_000, `an incident of ${source}`);
  return incident;
}

interface RemediationView {
  run: { runbook: { id: string; version: number }; status: string; steps: { id: string; action: string; target: string; requiresApproval: boolean }[] };
  next: { kind: string; stepId?: string };
  events: { type: string; payload: Record<string, unknown> }[];
}

describe('remediation: runbook proposals', () => {
  it("proposes the plugin-crash runbook for a crash loop on ECONNREFUSED 127.0.0.1:5432, runs its first check through the webhook, and waits for approval to restart PostgreSQL", async () => {
    const source = uniqueSource('plugin-host');
    const at = new Date(Date.now() - MINUTE).toISOString();
    const res = await api('POST', `/v1/signals/logs?source=${source}`, { text: `[${at}] [FATAL] [plugin-server] Error: ECONNREFUSED 127.0.0.1:5432\n  errorCode: ECONNREFUSED\n` });
    expect(res.status).toBe(202);
    const incident = await opened(source, 'plugin_crash');

    const view = await eventually(async () => {
      const r = await remediation<RemediationView>('GET', `/v1/incidents/${incident.id}/remediation`);
      return r.status === 200 && r.body.next.kind === 'awaiting-approval' ? r.body : undefined;
    }, 60_000, 'the remediation to reach its first production step');
    expect(view.run.runbook).toEqual({ id: 'plugin-crash-loop', version: 1 });
    expect(view.run.steps.map((s) => [s.id, s.target, s.requiresApproval])).toEqual([
      ['check-dependency', 'postgresql', false],
      ['restart-dependency', 'postgresql', true],
      ['verify-dependency', 'postgresql', false],
      ['restart-plugin', source, true],
    ]);
    expect(view.next).toEqual({ kind: 'awaiting-approval', stepId: 'restart-dependency' });
    expect(view.events.map((e) => e.type)).toEqual(['RemediationProposed', 'StepAttempted', 'StepSucceeded', 'StepApprovalRequested']);
    expect(view.events[2].payload).toMatchObject({ executor: 'webhook', output: { status: 204 } });
    expect((await deliveriesFor(incident.id)).map((d) => JSON.parse(d.body))).toMatchObject([{ stepId: 'check-dependency', action: 'check_dependency', target: 'postgresql' }]);
  });

  it('proposes throttling at the API tier\'s rate for a rate limit, and runs it once a person approves it', async () => {
    const source = uniqueSource('api-gateway');
    await sendSignals([{ source, component: 'agent:code-review', level: 'FATAL', message: 'Rate limit exceeded', errorCode: 429 }]);
    const incident = await opened(source, 'rate_limit');
    const proposed = await eventually(async () => {
      const r = await remediation<RemediationView>('GET', `/v1/incidents/${incident.id}/remediation`);
      return r.status === 200 ? r.body : undefined;
    }, 60_000, 'a remediation proposal');
    expect(proposed.run.runbook.id).toBe('rate-limit-throttle');
    expect(proposed.events[0].payload).toMatchObject({ incidentType: 'rate_limit', steps: [{ id: 'throttle', params: { ratePerMinute: 50, algorithm: 'token-bucket' } }, { id: 'monitor-recovery' }] });
    expect(proposed.next).toEqual({ kind: 'awaiting-approval', stepId: 'throttle' });

    const approval = await remediation('POST', `/v1/incidents/${incident.id}/remediation/steps/throttle/approve`, {});
    expect(approval).toMatchObject({ status: 200, body: { stepId: 'throttle', events: ['StepApproved'] } });
    const done = await eventually(async () => {
      const r = await remediation<RemediationView>('GET', `/v1/incidents/${incident.id}/remediation`);
      return r.body.run.status === 'completed' ? r.body : undefined;
    }, 30_000, 'the approved run to complete');
    expect(done.events.filter((e) => e.type === 'StepSucceeded').map((e) => e.payload['stepId'])).toEqual(['throttle', 'monitor-recovery']);
    // The webhook is told who approved the production step.
    const approver = done.events.find((e) => e.type === 'StepApproved')?.payload['actor'];
    expect((await deliveriesFor(incident.id)).map((d) => JSON.parse(d.body))).toMatchObject([
      { stepId: 'throttle', production: true, approvedBy: approver },
      { stepId: 'monitor-recovery', production: false },
    ]);
  });
});

describe('response-time escalation', () => {
  it('escalates a SEV-2 left unacknowledged past 15 minutes of event time exactly once, and never an acknowledged one', async () => {
    // Two critical alerts (SEV-2). The first started 20 minutes ago: its deadline passed in event
    // time before it even opened. The second started 14.5 minutes ago: its deadline falls 30 s
    // from now, after the responder below has acknowledged it.
    const late = uniqueSource('checkout-late');
    const acked = uniqueSource('checkout-acked');
    const ackedStartsAt = Date.now() - 15 * MINUTE + 30_000;
    await fireCriticalAlert(late, new Date(Date.now() - 20 * MINUTE).toISOString());
    await fireCriticalAlert(acked, new Date(ackedStartsAt).toISOString());

    const ackedIncident = await opened(acked);
    expect(ackedIncident.severity).toBe('SEV-2');
    await acknowledge(ackedIncident.id);

    const lateIncident = await opened(late);
    const escalated = await eventually(async () => {
      const events = (await history(lateIncident.id)).filter((e) => e.type === 'IncidentEscalated');
      return events.length > 0 ? events : undefined;
    }, 60_000, 'the unacknowledged SEV-2 to be escalated');
    const scheduled = (await history(lateIncident.id)).find((e) => e.type === 'AcknowledgementDeadlineScheduled');
    const openedAt = (await history(lateIncident.id))[0].occurredAt;
    expect(scheduled?.payload).toMatchObject({ severity: 'SEV-2', dueAt: new Date(Date.parse(openedAt) + 15 * MINUTE).toISOString() });
    expect(escalated[0].payload).toMatchObject({ severity: 'SEV-2', deadline: scheduled?.payload['dueAt'], basis: { rule: 'escalation.unacknowledged' } });
    expect(escalated[0].payload['missedByMs']).toBeGreaterThanOrEqual(4 * MINUTE);

    // Past the acknowledged incident's deadline, and several polls later: neither a second
    // escalation of the first nor any of the second.
    const pastDeadline = ackedStartsAt + 15 * MINUTE + 3_000 - Date.now();
    await new Promise((r) => setTimeout(r, Math.max(pastDeadline, 3_000)));
    expect((await history(lateIncident.id)).filter((e) => e.type === 'IncidentEscalated')).toHaveLength(1);
    const ackedHistory = (await history(ackedIncident.id)).map((e) => e.type);
    expect(ackedHistory).toContain('IncidentAcknowledged');
    expect(ackedHistory).not.toContain('IncidentEscalated');
  });
});

async function fireCriticalAlert(service: string, startsAt: string): Promise<void> {
  const alert = {
    status: 'firing', labels: { alertname: 'HighErrorRate', severity: 'critical', service }, annotations: { summary: 'Error rate above 50%' },
    startsAt, endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://prometheus', fingerprint: `fp-${service}`,
  };
  const res = await api('POST', '/v1/signals/alertmanager', {
    json: { version: '4', groupKey: `{}:{service="${service}"}`, status: 'firing', receiver: 'incidents', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://alertmanager', truncatedAlerts: 0, alerts: [alert] },
  });
  expect(res.status).toBe(202);
}

/** POST /acknowledge at the version just read; a writer that slipped in between (the deadline) is a 409 and a retry. */
async function acknowledge(incidentId: string): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const state = await api<{ version: number }>('GET', `/v1/incidents/${incidentId}`);
    const res = await api('POST', `/v1/incidents/${incidentId}/acknowledge`, { json: { expectedVersion: state.body.version } });
    if (res.status === 200) return;
    if (res.status !== 409) throw new Error(`acknowledge: ${res.status} ${JSON.stringify(res.body)}`);
  }
  throw new Error('acknowledge: still stale after 10 attempts');
}
