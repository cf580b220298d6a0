import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import { decideResponder, foldIncident, type IncidentEvent, type ResponderCommand } from '@incident/incident-domain';
import type { OpenAPIObject } from '@nestjs/swagger';
import { decidePostmortem, historyEvent, initialPostmortem } from '@incident/postmortem-domain';
import { errorRate, minutesAfter, opened, signal, T0 } from '../fixtures/incident-events';
import { appendIncident, createScratchEventStore, KEYS, type RunningApi, type ScratchEventStore, startApi } from '../int-support/api';
import type { PostmortemView } from './read-postmortem';

type Input = ResponderCommand extends infer C ? (C extends ResponderCommand ? Omit<C, 'at' | 'actor'> : never) : never;

// The front door's postmortem and status-update endpoints, on a real app and a scratch log. The
// drafts are decided by the postmortem domain and appended as the postmortem service would.
describe('GET /v1/incidents/{id}/postmortem and /status-update', () => {
  let scratch: ScratchEventStore;
  let api: RunningApi;

  beforeAll(async () => {
    scratch = await createScratchEventStore({ poolSize: 4 });
    api = await startApi(scratch);
  });

  afterAll(async () => {
    await api?.close();
    await scratch?.dispose();
  });

  /** An incident worked by alice; `resolve` resolves it at T0 + 40 min. */
  async function incident(resolve: boolean): Promise<{ id: string; events: IncidentEvent[] }> {
    const id = randomUUID();
    const events: IncidentEvent[] = [opened({ incidentId: id }), signal(T0, { userId: 'u-1' }), signal(T0, { userId: 'u-2' }), errorRate(minutesAfter(T0, 2), 1000, 680)];
    const respond = (minutes: number, input: Input) => events.push(...decideResponder({ ...input, at: minutesAfter(T0, minutes), actor: 'alice' } as ResponderCommand, foldIncident(events)));
    respond(5, { kind: 'AcknowledgeIncident' });
    respond(6, { kind: 'AddNote', noteId: 'n-1', text: 'Implemented emergency rate limiting' });
    respond(7, { kind: 'SetStatus', status: 'monitoring' });
    if (resolve) respond(40, { kind: 'ResolveIncident', reason: 'error rate back under 1%' });
    await appendIncident(scratch, id, events, 'no_stream');
    return { id, events };
  }

  async function draft(id: string): Promise<void> {
    const stored = await scratch.store.readStream(Streams.incident(id));
    const history = stored.map(historyEvent);
    const last = history[history.length - 1];
    const [drafted] = decidePostmortem({ kind: 'DraftPostmortem', history, trigger: { type: last.type, version: last.version, at: last.at } }, initialPostmortem);
    await scratch.store.append(Streams.postmortem(id), [{ id: randomUUID(), type: drafted.type, schemaVersion: 1, occurredAt: new Date(drafted.data.at), payload: { ...drafted.data }, metadata: { actor: 'postmortem' } }], { expectedVersion: 'no_stream' });
  }

  it('answers the drafted postmortem as markdown by default, in the playbook template, flagged overdue past its due time', async () => {
    const { id } = await incident(true);
    await draft(id);
    const res = await fetch(`${base()}/v1/incidents/${id}/postmortem`, { headers: { authorization: `Bearer ${KEYS.reader}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const md = await res.text();
    expect(md).toMatch(/^# Postmortem: Rate limit Incident in api \(2025-03-01\)\n/);
    expect(md).toContain('**Duration**: 10:00 - 10:40 UTC (40 minutes)');
    expect(md).toContain('**Impact**: 2 users, 68.0% peak error rate, 2 failure signals');
    expect(md).toContain('- **10:05:00** - Acknowledged by alice\n- **10:06:00** - Note from alice: Implemented emergency rate limiting\n');
    // T0 is in 2025: the draft was due 24 hours after it resolved, long ago.
    expect(md).toContain('> Draft revision 1, due 2025-03-02 10:40 UTC (**overdue**).');
  });

  it('answers the structured draft with Accept: application/json', async () => {
    const { id } = await incident(true);
    await draft(id);
    const res = await fetch(`${base()}/v1/incidents/${id}/postmortem`, { headers: { authorization: `Bearer ${KEYS.reader}`, accept: 'application/json' } });
    expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/json; charset=utf-8']);
    const body = (await res.json()) as PostmortemView;
    expect(body).toMatchObject({ incidentId: id, revision: 1, status: 'draft', overdue: true, dueAt: '2025-03-02T10:40:00.000Z', blameWarnings: [] });
    expect(body.postmortem).toMatchObject({ duration: '40 minutes', severity: 'SEV-3', impact: { peakErrorRate: 0.68 }, resolution: { by: 'alice' } });
    expect(JSON.stringify(body)).not.toContain('# Postmortem');
  });

  it('answers 404 saying why when there is no postmortem yet', async () => {
    const open = await incident(false);
    expect(await api.get(`/v1/incidents/${open.id}/postmortem`)).toEqual({
      status: 404,
      body: { error: 'postmortem_not_drafted', message: `incident ${open.id} is still open: its postmortem is drafted when it resolves` },
    });
    const resolved = await incident(true);
    const pending = await api.get<{ message: string }>(`/v1/incidents/${resolved.id}/postmortem`);
    expect(pending.status).toBe(404);
    expect(pending.body.message).toMatch(/resolved at 2025-03-01T10:40:00.000Z, and the postmortem service has not drafted its postmortem yet/);
    const missing = randomUUID();
    expect(await api.get(`/v1/incidents/${missing}/postmortem`)).toEqual({ status: 404, body: { error: 'not_found', message: `no incident ${missing}` } });
  });

  it('fills in the communication template from the incident at request time', async () => {
    const { id } = await incident(false);
    const res = await fetch(`${base()}/v1/incidents/${id}/status-update`, { headers: { authorization: `Bearer ${KEYS.reader}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const md = await res.text();
    expect(md).toContain('# Incident Alert: rate_limit in api/agent: Rate limit exceeded\n\n**Severity**: SEV-3\n**Status**: Monitoring\n**Started**: 2025-03-01 10:00 UTC\n**Affected**: ~2 users\n');
    expect(md).toContain('- Error rate: 68.0%\n');
    expect(md).toContain('## Actions Taken\n1. ✅ Acknowledged by alice (10:05)\n2. ✅ Implemented emergency rate limiting (alice) (10:06)\n3. 🔄 Monitoring recovery (alice) (10:07)\n');
    expect(md).toMatch(/## Next Update\nIn 1 hour \(by \d{4}-\d\d-\d\d \d\d:\d\d UTC\) or when resolved\.\n/);
    expect((await api.get(`/v1/incidents/${randomUUID()}/status-update`)).status).toBe(404);
  });

  it('needs incidents:read, and documents both endpoints with that scope', async () => {
    const { id } = await incident(true);
    expect((await api.get(`/v1/incidents/${id}/postmortem`, KEYS.publisher)).status).toBe(403);
    expect((await api.get(`/v1/incidents/${id}/status-update`, null)).status).toBe(401);
    const { body } = await api.get<OpenAPIObject>('/openapi.json', null);
    for (const path of ['postmortem', 'status-update']) {
      expect(body.paths[`/v1/incidents/{id}/${path}`]?.get?.['x-required-scope' as never]).toBe('incidents:read');
    }
    expect(Object.keys(body.paths['/v1/incidents/{id}/postmortem'].get?.responses?.['200']?.['content' as never] ?? {})).toEqual(['text/markdown', 'application/json']);
  });

  it('finalizes the revision a responder read, recording who; the final postmortem is no longer overdue and cannot be finalized twice', async () => {
    const { id } = await incident(true);
    const before = await api.post(`/v1/incidents/${id}/postmortem/finalize`, {}, KEYS.alice);
    expect(before).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    await draft(id);
    expect(await api.post(`/v1/incidents/${id}/postmortem/finalize`, { expectedRevision: 2 }, KEYS.alice)).toMatchObject({ status: 409, body: { error: 'STALE_REVISION' } });
    expect((await api.post(`/v1/incidents/${id}/postmortem/finalize`, {}, KEYS.reader)).status).toBe(403);
    expect((await api.post(`/v1/incidents/${id}/postmortem/finalize`, { expectedRevision: 'one' }, KEYS.alice)).status).toBe(400);

    expect(await api.post(`/v1/incidents/${id}/postmortem/finalize`, { expectedRevision: 1 }, KEYS.alice)).toEqual({ status: 200, body: { incidentId: id, revision: 1, version: 2 } });
    const stored = await scratch.store.readStream(Streams.postmortem(id));
    expect(stored.map((e) => [e.type, e.metadata.actor])).toEqual([['PostmortemDrafted', 'postmortem'], ['PostmortemFinalized', 'alice']]);
    const view = await fetch(`${base()}/v1/incidents/${id}/postmortem`, { headers: { authorization: `Bearer ${KEYS.reader}`, accept: 'application/json' } });
    expect((await view.json()) as PostmortemView).toMatchObject({ status: 'final', overdue: false, finalized: { by: 'alice' } });
    const md = await fetch(`${base()}/v1/incidents/${id}/postmortem`, { headers: { authorization: `Bearer ${KEYS.reader}` } });
    expect(await md.text()).toMatch(/> Final \(revision 1\), declared by alice at /);
    expect(await api.post(`/v1/incidents/${id}/postmortem/finalize`, {}, KEYS.bob)).toMatchObject({ status: 409, body: { error: 'ALREADY_FINAL' } });
  });

  function base(): string {
    const address = api.app.getHttpServer().address() as { port: number };
    return `http://127.0.0.1:${address.port}`;
  }
});
