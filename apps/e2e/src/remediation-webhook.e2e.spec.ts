import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, verifySignature } from '@incident/contracts';
import { api, eventually, incidentsOf, type IncidentSummary, sendSignals, stack, uniqueSource } from './support/stack';
import { type Delivery, deliveriesFor, failingSource } from './support/webhook';

// Issue 4 acceptance, the webhook executor through the running services: remediation runs the
// steps it may run alone by POSTing them to the stack's webhook (support/webhook-recorder.mjs),
// signed with the run's secret; a step the webhook fails is recorded failed on every attempt,
// retried up to REMEDIATION_MAX_ATTEMPTS, and then fails the run, which never completes.
// The memory-leak runbook fits: its first step (capture heap usage) needs no approval and acts
// on the incident's own source, which is how a spec tells the webhook to fail it.

interface RemediationView {
  run: { status: string; steps: { id: string }[] };
  next: { kind: string; stepId?: string };
  events: { type: string; at: string; payload: Record<string, unknown> }[];
}

async function remediationOf(incidentId: string) {
  return api<RemediationView>('GET', `/v1/incidents/${incidentId}/remediation`);
}

async function memoryLeak(source: string): Promise<IncidentSummary> {
  await sendSignals([{ source, component: 'agent-worker', level: 'FATAL', message: 'FATAL ERROR: JavaScript heap out of memory', errorCode: 'ENOMEM' }]);
  const [incident] = await eventually(async () => {
    const found = await incidentsOf(source, 'memory_leak');
    return found.length > 0 ? found : undefined;
  }, 60_000, `a memory_leak incident of ${source}`);
  return incident;
}

function expectSignedDelivery(d: Delivery): void {
  const { hookUrl, secret } = stack().webhook;
  expect(`${new URL(hookUrl).origin}${d.path}`).toBe(hookUrl);
  expect(d).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json', [EVENT_HEADER]: 'remediation.step' } });
  expect(d.headers[SIGNATURE_HEADER]).toMatch(/^sha256=[0-9a-f]{64}$/);
  // Over the exact bytes received, with this run's secret; and not with any other secret.
  expect(verifySignature(d.body, secret, d.headers[SIGNATURE_HEADER])).toBe(true);
  expect(verifySignature(d.body, `${secret}-not`, d.headers[SIGNATURE_HEADER])).toBe(false);
  expect(JSON.parse(d.body).deliveryId).toBe(d.headers[DELIVERY_HEADER]);
}

describe('remediation through the webhook executor', () => {
  it('POSTs a step it may run alone to the webhook, signed with HMAC-SHA256 of the exact body, and records it succeeded', async () => {
    const source = uniqueSource('agent-worker');
    const incident = await memoryLeak(source);

    const view = await eventually(async () => {
      const r = await remediationOf(incident.id);
      return r.status === 200 && r.body.next.kind === 'awaiting-approval' ? r.body : undefined;
    }, 60_000, 'the first step to run and the production step to wait for approval');
    const deliveries = await deliveriesFor(incident.id);
    expect(deliveries).toHaveLength(1);
    expectSignedDelivery(deliveries[0]);
    expect(deliveries[0].answered).toBe(204);
    expect(JSON.parse(deliveries[0].body)).toMatchObject({
      type: 'remediation.step', incidentId: incident.id, stepId: 'capture-heap', action: 'capture_heap', target: source, attempt: 1, production: false,
    });

    expect(view.events.map((e) => e.type)).toEqual(['RemediationProposed', 'StepAttempted', 'StepSucceeded', 'StepApprovalRequested']);
    expect(view.events[1].payload).toMatchObject({ stepId: 'capture-heap', attempt: 1, executor: 'webhook' });
    expect(view.events[2].payload).toMatchObject({ stepId: 'capture-heap', attempt: 1, executor: 'webhook', output: { status: 204, url: stack().webhook.hookUrl } });
    // The restart is a production step: nothing reaches the webhook for it until a person approves.
    expect(view.next).toEqual({ kind: 'awaiting-approval', stepId: 'restart-service' });
  });

  it('records each failing attempt as failed, stops at the configured bound, fails the run and never marks the incident remediated', async () => {
    const { hookUrl, maxAttempts } = stack().webhook;
    const source = failingSource('agent-worker');
    const incident = await memoryLeak(source);

    const failed = await eventually(async () => {
      const r = await remediationOf(incident.id);
      return r.status === 200 && r.body.run.status === 'failed' ? r.body : undefined;
    }, 60_000, 'the run to fail');
    // Longer than the largest back-off plus a few polls: a further attempt would have shown up.
    await new Promise((r) => setTimeout(r, 3_000));
    const settled = (await remediationOf(incident.id)).body;
    expect(settled.events).toHaveLength(failed.events.length);

    const types = settled.events.map((e) => e.type);
    expect(types).toEqual(['RemediationProposed', ...Array.from({ length: maxAttempts }, () => ['StepAttempted', 'StepFailed']).flat(), 'RemediationFailed']);
    const failures = settled.events.filter((e) => e.type === 'StepFailed').map((e) => e.payload);
    expect(failures.map((p) => [p['stepId'], p['attempt'], p['willRetry'], p['maxAttempts'], p['executor'], p['error']])).toEqual(
      Array.from({ length: maxAttempts }, (_, i) => ['capture-heap', i + 1, i + 1 < maxAttempts, maxAttempts, 'webhook', `${hookUrl} answered 500`]),
    );
    // Each retry waited for the back-off its failure announced.
    const attempts = settled.events.filter((e) => e.type === 'StepAttempted');
    for (let i = 1; i < attempts.length; i++) expect(Date.parse(attempts[i].at)).toBeGreaterThanOrEqual(Date.parse(failures[i - 1]['retryAt'] as string));
    expect(settled.events.at(-1)?.payload).toMatchObject({ stepId: 'capture-heap', attempts: maxAttempts });
    expect(settled.next).toEqual({ kind: 'idle' });

    // The webhook saw exactly those attempts, each signed, each its own delivery, and no later step.
    const deliveries = await deliveriesFor(incident.id);
    expect(deliveries.map((d) => [JSON.parse(d.body).stepId, JSON.parse(d.body).attempt, d.answered])).toEqual(
      Array.from({ length: maxAttempts }, (_, i) => ['capture-heap', i + 1, 500]),
    );
    deliveries.forEach(expectSignedDelivery);
    expect(new Set(deliveries.map((d) => d.headers[DELIVERY_HEADER])).size).toBe(maxAttempts);

    // What responders read says the remediation failed, never that it completed.
    const update = await api<string>('GET', `/v1/incidents/${incident.id}/status-update`);
    expect(update.status).toBe(200);
    expect(update.body).toMatch(/❌ Remediation failed/);
    expect(update.body).not.toMatch(/Remediation completed/);
  });
});
