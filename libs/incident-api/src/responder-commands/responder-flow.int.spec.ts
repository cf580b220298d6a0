import { randomUUID } from 'node:crypto';
import type { OpenAPIObject } from '@nestjs/swagger';
import { opened, signal, T0 } from '../fixtures/incident-events';
import type { HistoryPage } from '../incident-history/history';
import type { IncidentView } from '../incident-state/incident-view';
import { appendIncident, createScratchEventStore, KEYS, type RunningApi, type ScratchEventStore, startApi } from '../int-support/api';
import type { Timeline } from '../timeline/responses';
import type { CommandOutcome } from './handle-responder-command';

// Alice and Bob work one incident from acknowledgement to resolution; each command is sent with
// the version the previous answer gave, and the state endpoint shows each step.
describe('responders work an incident from acknowledgement to resolution', () => {
  let scratch: ScratchEventStore;
  let api: RunningApi;
  const id = randomUUID();
  let version: number;

  beforeAll(async () => {
    scratch = await createScratchEventStore({ poolSize: 4 });
    api = await startApi(scratch);
    const appended = await appendIncident(scratch, id, [opened({ incidentId: id }), signal(T0, { userId: 'u-1' }), signal(T0, { userId: 'u-2' })], 'no_stream');
    version = appended[appended.length - 1].streamVersion;
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.dispose();
  });

  /** Sends a command at the current version, expects it recorded, and moves the version on. */
  async function command<T extends CommandOutcome>(path: string, body: object, key: string = KEYS.alice, status = 200, headers?: Record<string, string>): Promise<T> {
    const answer = await api.post<T>(`/v1/incidents/${id}/${path}`, { ...body, expectedVersion: version }, key, headers);
    expect([path, answer.status]).toEqual([path, status]);
    expect(answer.body).toMatchObject({ incidentId: id, version: version + 1 });
    version = answer.body.version;
    return answer.body;
  }

  async function state(): Promise<IncidentView> {
    const { status, body } = await api.get<IncidentView>(`/v1/incidents/${id}`);
    expect(status).toBe(200);
    expect(body.version).toBe(version);
    return body;
  }

  it('records the acknowledgement with the key\'s name as the actor, and the request\'s ids as metadata', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const outcome = await command('acknowledge', {}, KEYS.alice, 200, { 'x-request-id': 'req-ack-0001', traceparent });
    expect(outcome.events).toEqual(['IncidentAcknowledged']);
    expect((await state()).acknowledged).toEqual({ at: expect.any(String), by: 'alice' });
    const { body } = await api.get<HistoryPage>(`/v1/incidents/${id}/events?fromVersion=${version}`);
    expect(body.events).toEqual([
      expect.objectContaining({ type: 'IncidentAcknowledged', schemaVersion: 1, payload: { at: expect.any(String), actor: 'alice' }, metadata: { actor: 'alice', correlationId: 'req-ack-0001', traceparent } }),
    ]);
    expect(body.events[0].occurredAt).toBe(body.events[0].payload['at']);
  });

  it('adds a note with an id of its own (201), under whichever responder sent it', async () => {
    const outcome = await command<CommandOutcome & { noteId: string }>('notes', { text: 'rolled back agent 1.4.2, no change' }, KEYS.bob, 201);
    expect(outcome).toMatchObject({ events: ['NoteAdded'], noteId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(await state()).toMatchObject({ notes: 1 });
    const { body } = await api.get<HistoryPage>(`/v1/incidents/${id}/events?fromVersion=${version}`);
    expect(body.events[0]).toMatchObject({ payload: { noteId: outcome.noteId, actor: 'bob' }, metadata: { actor: 'bob', correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
  });

  it('moves the status, and raises the severity with a reason', async () => {
    await command('status', { status: 'identified' });
    expect(await state()).toMatchObject({ responseStatus: 'identified' });
    await command('severity', { severity: 'SEV-1', reason: 'every agent is failing' });
    expect(await state()).toMatchObject({ severity: 'SEV-1' });
  });

  it('records the root-cause analysis', async () => {
    await command('root-cause', {
      fiveWhys: ['429s', 'too many calls', 'retries without backoff', 'no limiter', 'never needed before'],
      fishbone: { process: ['no load test'], technology: ['no token bucket'], environment: ['traffic spike'] },
      rootCause: 'no request limit per agent',
      fix: 'token bucket at 50 requests/minute',
      lessonsLearned: ['limit before you scale'],
    });
    expect((await state()).rootCause).toMatchObject({
      by: 'alice',
      rootCause: 'no request limit per agent',
      fishbone: { people: [], process: ['no load test'], technology: ['no token bucket'], environment: ['traffic spike'] },
      fiveWhys: expect.arrayContaining(['no limiter']),
      lessonsLearned: ['limit before you scale'],
    });
  });

  it('adds an action item (201 with its id) and completes it', async () => {
    const { itemId } = await command<CommandOutcome & { itemId: string }>('action-items', { title: 'Add a token bucket', priority: 'P0', owner: 'platform-team', dueDate: '2026-12-01' }, KEYS.alice, 201);
    expect((await state()).actionItems).toEqual([{ id: itemId, title: 'Add a token bucket', priority: 'P0', owner: 'platform-team', dueDate: '2026-12-01', completedAt: null }]);
    await command(`action-items/${itemId}/complete`, {}, KEYS.bob);
    expect((await state()).actionItems[0].completedAt).toEqual(expect.any(String));
  });

  it('resolves the incident, and then refuses to resolve it again', async () => {
    await command('resolve', { reason: 'rate limiter deployed' });
    expect(await state()).toMatchObject({ status: 'resolved', resolution: 'rate limiter deployed', severity: 'SEV-1', responseStatus: 'identified' });
    const again = await api.post(`/v1/incidents/${id}/resolve`, { reason: 'again', expectedVersion: version });
    expect(again).toEqual({ status: 409, body: { error: 'ALREADY_RESOLVED', message: expect.stringMatching(/already resolved at/) } });
  });

  it('tells the whole story in the timeline, in the responders\' own names', async () => {
    const { body } = await api.get<Timeline>(`/v1/incidents/${id}/timeline`);
    expect(body.entries.slice(2).map((e) => e.what)).toEqual([
      'acknowledged by alice',
      'note by bob: rolled back agent 1.4.2, no change',
      'status investigating -> identified by alice',
      'severity SEV-3 -> SEV-1 by alice: every agent is failing',
      'root cause recorded by alice: no request limit per agent; fix: token bucket at 50 requests/minute (5 whys)',
      'action item P0 added by alice: Add a token bucket (owner platform-team, due 2026-12-01)',
      'action item completed by bob: Add a token bucket',
      'resolved by alice: rate limiter deployed',
    ]);
  });

  it('documents every command in the OpenAPI document, with its body and the incidents:write scope', async () => {
    const { body } = await api.get<OpenAPIObject>('/openapi.json', null);
    for (const path of ['acknowledge', 'notes', 'status', 'severity', 'root-cause', 'action-items', 'action-items/{itemId}/complete', 'resolve']) {
      const operation = body.paths[`/v1/incidents/{id}/${path}`]?.post as (Record<string, unknown> & { requestBody?: unknown; responses: object }) | undefined;
      expect([path, operation?.['x-required-scope']]).toEqual([path, 'incidents:write']);
      expect(operation?.requestBody).toBeDefined();
      expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409', '422']));
    }
    expect(JSON.stringify(body.paths['/v1/incidents/{id}/root-cause'].post?.requestBody)).toMatch(/RecordRootCause/);
  });
});
