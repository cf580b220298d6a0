import { randomUUID } from 'node:crypto';
import { currentPid, restart, terminate } from './support/processes';
import { api, eventually, incidentsOf, sendSignals, stack, uniqueSource } from './support/stack';
import { deliveriesFor } from './support/webhook';

// DESIGN.md: one base URL for users. The remediation API (runs, approvals, circuit breakers) is
// served by the remediation service and reached through ingest's base URL, which forwards it
// (docs/decisions.md). Every call here goes to the base URL, never to remediation's own port.

interface RemediationView {
  next: { kind: string; stepId?: string };
  events: { type: string; payload: Record<string, unknown>; actor: string | null }[];
}

interface Breaker {
  status: string;
  dependency: string;
  incidentId?: string;
  resetBy?: string;
}

describe('the remediation API at the one base URL', () => {
  it('approves the step that opens the circuit breaker to the Claude API, shows the breaker open, and resets it, all through the base URL', async () => {
    expect(new URL(stack().baseUrl).port).toBe(String(stack().ports['ingest']));
    const source = uniqueSource('claude-client');
    await sendSignals([{ source, component: 'agent:code-review', level: 'FATAL', message: 'Claude API unreachable: service unavailable', errorCode: 503 }]);
    const [incident] = await eventually(async () => {
      const found = await incidentsOf(source, 'api_failure');
      return found.length > 0 ? found : undefined;
    }, 60_000, `an api_failure incident of ${source}`);

    const proposed = await eventually(async () => {
      const r = await api<RemediationView>('GET', `/v1/incidents/${incident.id}/remediation`);
      return r.status === 200 && r.body.next.kind === 'awaiting-approval' ? r.body : undefined;
    }, 60_000, 'the breaker step to wait for approval');
    expect(proposed.next).toEqual({ kind: 'awaiting-approval', stepId: 'open-circuit-breaker' });

    const approval = await api('POST', `/v1/incidents/${incident.id}/remediation/steps/open-circuit-breaker/approve`, { json: {} });
    expect(approval).toMatchObject({ status: 200, body: { incidentId: incident.id, stepId: 'open-circuit-breaker', events: ['StepApproved'] } });
    // Remediation authenticated the caller's own key, passed on by the front door: it is the actor.
    const approved = await eventually(async () => {
      const r = await api<RemediationView>('GET', `/v1/incidents/${incident.id}/remediation`);
      return r.body.events.some((e) => e.type === 'StepSucceeded' && e.payload['stepId'] === 'open-circuit-breaker') ? r.body : undefined;
    }, 30_000, 'the approved step to run');
    expect(approved.events.find((e) => e.type === 'StepApproved')).toMatchObject({ actor: 'admin', payload: { actor: 'admin' } });
    expect((await deliveriesFor(incident.id)).map((d) => JSON.parse(d.body).stepId)).toContain('open-circuit-breaker');

    const open = await eventually(async () => {
      const r = await api<Breaker>('GET', '/v1/circuit-breakers/claude-api');
      return r.status === 200 && r.body.status === 'open' ? r.body : undefined;
    }, 30_000, 'the breaker to open');
    expect(open).toMatchObject({ dependency: 'claude-api', incidentId: incident.id });

    const reset = await api('POST', '/v1/circuit-breakers/claude-api/reset', { json: { reason: 'Claude API reachable again' } });
    expect(reset.status).toBe(200);
    expect((await api<Breaker>('GET', '/v1/circuit-breakers/claude-api')).body).toMatchObject({ status: 'closed', resetBy: 'admin' });
    // Remediation's own refusals come back as it gave them: a second reset is a 409.
    expect((await api('POST', '/v1/circuit-breakers/claude-api/reset', { json: {} })).status).toBe(409);
  });

  it("refuses a reader's key at the door for a write, and passes remediation's validation answers through", async () => {
    const s = stack();
    const refused = await api('POST', '/v1/circuit-breakers/claude-api/reset', { key: s.readerKey, json: {} });
    expect(refused).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    const bad = await api<{ problems: { parameter: string }[] }>('GET', '/v1/incidents/not-a-uuid/remediation');
    expect(bad.status).toBe(400);
    expect(bad.body.problems).toEqual([expect.objectContaining({ parameter: 'id' })]);
  });

  it('answers 502 naming the remediation service while it is down, and forwards again once it is back', async () => {
    const path = `/v1/incidents/${randomUUID()}/remediation`;
    await terminate(currentPid('remediation'));
    const down = await api<{ error: string; message: string }>('GET', path);
    expect(down.status).toBe(502);
    expect(down.body).toEqual({ error: 'remediation_unavailable', message: expect.stringMatching(/^the remediation service at http:\/\/127\.0\.0\.1:\d+ could not be reached \(ECONNREFUSED\)$/) });
    // Started again with the stack's environment; it keeps running for later specs (teardown stops it).
    await restart('remediation');
    expect(await api('GET', path)).toMatchObject({ status: 404, body: { error: 'not_found', message: expect.stringMatching(/^no remediation was proposed/) } });
  });
});
