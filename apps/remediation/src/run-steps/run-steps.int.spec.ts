import { randomUUID } from 'node:crypto';
import { Streams, verifySignature, type IncidentType } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import { createScratchEventStore, eventually, type ScratchEventStore } from '@incident/testing';
import { approveStep } from '../approve-step/approve-step';
import type { RemediationSettings } from '../app/remediation-config';
import { timerPollers } from '../app/remediation-core.module';
import { opened, recordIncident, replicaDeps, SECRET, settings, testServer, timerRows, types } from '../int-support/fixture';
import { reactToIncident } from '../react-to-incidents/react-to-incident';
import type { TimerPoller } from '../timers/timer-poller';

// Real PostgreSQL; a local HTTP server is the webhook the executor calls. The incident's
// opening is handed to the consumer's handler directly (the Kafka path is covered elsewhere).
describe('running remediation steps (real PostgreSQL, a local webhook)', () => {
  let log: ScratchEventStore;
  let pollers: TimerPoller[] = [];

  beforeAll(async () => {
    log = await createScratchEventStore();
  });

  afterEach(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
    pollers = [];
  });

  afterAll(async () => {
    await log?.dispose();
  });

  async function openIncident(type: IncidentType, s: RemediationSettings): Promise<string> {
    const incidentId = randomUUID();
    const [open] = await recordIncident(log, incidentId, [opened({ incidentId, at: new Date(Date.now() - 60_000).toISOString(), severity: 'SEV-2', type, source: 'agent-runner' })]);
    await log.dataSource.transaction((tx) =>
      reactToIncident(tx, replicaDeps(log, s), { kind: 'opened', incidentId, envelope: envelopeOf(open), at: open.payload['at'] as string, severity: 'SEV-2' }),
    );
    return incidentId;
  }

  function startStepPoller(s: RemediationSettings): void {
    const step = timerPollers(log.dataSource, replicaDeps(log, s), s)[1];
    step.start();
    pollers.push(step);
  }

  const webhookSettings = (url: string, timeoutMs = 2_000) =>
    settings({ executor: { kind: 'webhook', webhook: { url, secret: SECRET, timeoutMs } }, policy: { approval: 'none', maxAttemptsPerStep: 3, retryBackoff: { initialMs: 50, maxMs: 200 } } });

  it('runs each step through the webhook, signed with HMAC-SHA256 of the body, and completes the run when all succeeded', async () => {
    const hook = await testServer();
    try {
      const s = webhookSettings(`${hook.url}/remediate`);
      const incidentId = await openIncident('timeout', s);
      startStepPoller(s);
      await eventually(() => types(log, Streams.remediation(incidentId)), (t) => t.at(-1) === 'RemediationCompleted');
      expect(await types(log, Streams.remediation(incidentId))).toEqual([
        'RemediationProposed', 'StepAttempted', 'StepSucceeded', 'StepAttempted', 'StepSucceeded', 'RemediationCompleted',
      ]);
      expect(hook.received).toHaveLength(2);
      for (const call of hook.received) {
        expect(call).toMatchObject({ method: 'POST', path: '/remediate', headers: { 'content-type': 'application/json', 'x-incident-event': 'remediation.step' } });
        expect(call.headers['x-incident-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
        expect(verifySignature(call.body, SECRET, call.headers['x-incident-signature'] as string)).toBe(true);
        expect(JSON.parse(call.body).deliveryId).toBe(call.headers['x-incident-delivery']);
      }
      expect(hook.received.map((c) => JSON.parse(c.body))).toMatchObject([
        { type: 'remediation.step', incidentId, stepId: 'enforce-timeout', action: 'enforce_timeout', target: 'agent-runner', attempt: 1, params: { timeoutMs: 30_000 }, production: true },
        { stepId: 'check-load', action: 'check_load', attempt: 1, production: false },
      ]);
      const succeeded = (await log.store.readStream(Streams.remediation(incidentId))).find((e) => e.type === 'StepSucceeded');
      expect(succeeded?.payload).toMatchObject({ executor: 'webhook', attempt: 1, output: { status: 204 } });
    } finally {
      await hook.close();
    }
  });

  it('records a failing webhook as failed on each attempt, retries within its bounds, then fails the run without completing it', async () => {
    const hook = await testServer(() => ({ status: 503 }));
    try {
      const s = webhookSettings(hook.url);
      const incidentId = await openIncident('timeout', s);
      startStepPoller(s);
      await eventually(() => types(log, Streams.remediation(incidentId)), (t) => t.at(-1) === 'RemediationFailed');
      await new Promise((r) => setTimeout(r, 300)); // further ticks call nothing
      expect(hook.received).toHaveLength(3);
      const events = await log.store.readStream(Streams.remediation(incidentId));
      expect(events.map((e) => e.type)).toEqual([
        'RemediationProposed', 'StepAttempted', 'StepFailed', 'StepAttempted', 'StepFailed', 'StepAttempted', 'StepFailed', 'RemediationFailed',
      ]);
      expect(events.filter((e) => e.type === 'StepFailed').map((e) => [e.payload['attempt'], e.payload['willRetry'], e.payload['error']])).toEqual([
        [1, true, `${hook.url} answered 503`],
        [2, true, `${hook.url} answered 503`],
        [3, false, `${hook.url} answered 503`],
      ]);
      // Each attempt is its own delivery, and a retry waited for its back-off.
      expect(new Set(hook.received.map((c) => c.headers['x-incident-delivery'])).size).toBe(3);
      const [, , first, , second] = events;
      expect(Date.parse(second.payload['at'] as string)).toBeGreaterThanOrEqual(Date.parse(first.payload['retryAt'] as string));
      expect((await timerRows(log, incidentId)).find((r) => r.kind === 'step')?.due_at).toBeNull();
    } finally {
      await hook.close();
    }
  });

  it('records a webhook that does not answer in time as a timeout, and succeeds on the next attempt', async () => {
    const hook = await testServer((_, n) => (n === 1 ? { status: 200, delayMs: 1_500 } : { status: 200 }));
    try {
      const s = webhookSettings(hook.url, 300);
      const incidentId = await openIncident('timeout', s);
      startStepPoller(s);
      const events = await eventually(() => log.store.readStream(Streams.remediation(incidentId)), (e) => e.at(-1)?.type === 'RemediationCompleted');
      const failed = events.find((e) => e.type === 'StepFailed') as StoredEvent;
      expect(failed.payload).toMatchObject({ attempt: 1, retryable: true, willRetry: true, error: `${hook.url}: timed out` });
      expect(events.find((e) => e.type === 'StepSucceeded')?.payload).toMatchObject({ stepId: 'enforce-timeout', attempt: 2 });
    } finally {
      await hook.close();
    }
  });

  it('holds a production step until a person approves it, then runs it (dry run by default)', async () => {
    const s = settings();
    const incidentId = await openIncident('memory_leak', s);
    startStepPoller(s);
    await eventually(() => types(log, Streams.remediation(incidentId)), (t) => t.at(-1) === 'StepApprovalRequested');
    await new Promise((r) => setTimeout(r, 300));
    expect(await types(log, Streams.remediation(incidentId))).toEqual(['RemediationProposed', 'StepAttempted', 'StepSucceeded', 'StepApprovalRequested']);

    const outcome = await approveStep(log.dataSource, replicaDeps(log, s), { incidentId, stepId: 'restart-service', actor: 'alice', at: new Date().toISOString() }, { actor: 'alice', correlationId: 'req-approve-1' });
    expect(outcome).toMatchObject({ incidentId, stepId: 'restart-service', events: ['StepApproved'], version: 5 });
    const events = await eventually(() => log.store.readStream(Streams.remediation(incidentId)), (e) => e.at(-1)?.type === 'RemediationCompleted');
    expect(events[4]).toMatchObject({ type: 'StepApproved', payload: { actor: 'alice' }, metadata: { actor: 'alice', correlationId: 'req-approve-1' } });
    expect(events[6]).toMatchObject({ type: 'StepSucceeded', payload: { executor: 'dry-run', output: { dryRun: true, wouldDo: 'restart agent-runner' } } });
  });
});

function envelopeOf(e: StoredEvent) {
  return {
    id: e.id, streamId: e.streamId, streamVersion: e.streamVersion, globalPosition: e.globalPosition, type: e.type, schemaVersion: e.schemaVersion,
    occurredAt: e.occurredAt.toISOString(), recordedAt: e.recordedAt.toISOString(), payload: e.payload, metadata: e.metadata,
  };
}
