import { randomUUID } from 'node:crypto';
import { CheckpointStore, START } from '@incident/event-store';
import type { IncidentEvent } from '@incident/incident-domain';
import { decidedStorm, errorRate, fold, minutesAfter, opened, resolved, severityChanged, signal, T0 } from '../fixtures/incident-events';
import { appendIncident, createScratchEventStore, eventually, type RunningApi, type ScratchEventStore, startApi } from '../int-support/api';
import { INCIDENTS_CHECKPOINT, IncidentProjection } from '../projection/incident-projection';
import { IncidentProjector } from '../projection/incident-projector';
import type { IncidentPage } from './incidents-read-model';

// A log with six incidents of different services, types, severities and states, written the way
// correlation writes them; the list must agree with the fold of each incident's own stream.
describe('GET /v1/incidents: the incidents read model', () => {
  let scratch: ScratchEventStore;
  let api: RunningApi;
  const histories = new Map<string, IncidentEvent[]>();
  const storm = randomUUID();
  const twin = [randomUUID(), randomUUID()].sort();

  beforeAll(async () => {
    scratch = await createScratchEventStore({ poolSize: 4 });
    api = await startApi(scratch);
    await record(storm, decidedStorm(storm, 300, { users: 40, sampleEvery: 60, errorShare: (i) => (i < 150 ? 0.3 : 0.95) }));
    await record(randomUUID(), [opened({ at: minutesAfter(T0, 10), source: 'checkout', incidentType: 'timeout', severity: 'SEV-3' }), signal(minutesAfter(T0, 10)), resolved(minutesAfter(T0, 50))]);
    await record(randomUUID(), [opened({ at: minutesAfter(T0, 20), source: 'checkout', incidentType: 'api_failure', severity: 'SEV-2' }), errorRate(minutesAfter(T0, 21), 100, 55)]);
    await record(randomUUID(), [opened({ at: minutesAfter(T0, 30), source: 'search', incidentType: 'performance', severity: 'SEV-4' })]);
    // Opened at the same instant: the list orders them by id, so pages never swap them.
    for (const id of twin) await record(id, [opened({ at: minutesAfter(T0, 40), source: 'billing', incidentType: 'authentication', severity: 'SEV-3' })]);
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.dispose();
  });

  async function record(id: string, events: IncidentEvent[]) {
    const withId = events.map((e) => (e.type === 'IncidentOpened' ? { ...e, data: { ...e.data, incidentId: id } } : e));
    histories.set(id, [...(histories.get(id) ?? []), ...withId]);
    await appendIncident(scratch, id, withId);
  }

  /** What the list must say of each incident: its fold. */
  function expectedRows() {
    return [...histories].map(([id, events]) => {
      const s = fold(events);
      if (s.status === 'none') throw new Error(`${id} never opened`);
      return {
        id, status: s.status, severity: s.severity, type: s.type, source: s.source, title: s.title, fingerprint: s.fingerprint,
        openedAt: s.openedAt, resolvedAt: s.status === 'resolved' ? s.resolvedAt : null, signalCount: s.impact.signalCount,
        affectedUsers: s.impact.affectedUsers, errorRate: s.impact.errorRate ?? null, lastSeenAt: s.impact.lastSeenAt, version: s.version,
      };
    });
  }

  async function listMatchesFold() {
    const { body } = await api.get<IncidentPage>('/v1/incidents?limit=200');
    const byId = new Map(body.items.map((item) => [item.id, item]));
    for (const row of expectedRows()) expect(byId.get(row.id)).toEqual(row);
    expect(body.items).toHaveLength(histories.size);
    return body;
  }

  it('lists every incident as the fold of its own stream says, newest first', async () => {
    const body = await eventually(listMatchesFold);
    expect(body.items.map((i) => i.id)).toEqual(expectedRows().sort((a, b) => (a.openedAt === b.openedAt ? (a.id < b.id ? -1 : 1) : a.openedAt < b.openedAt ? 1 : -1)).map((r) => r.id));
    expect(body.items.find((i) => i.id === storm)).toMatchObject({ severity: 'SEV-1', signalCount: 300, affectedUsers: 40 });
    expect(body.nextCursor).toBeNull();
  });

  it.each([
    ['status=resolved', 1],
    ['status=open', 5],
    ['severity=SEV-1,SEV-2', 2],
    ['type=authentication', 2],
    ['service=checkout', 2],
    ['service=checkout&status=open', 1],
    ['service=nobody', 0],
  ])('filters by %s', async (query, expected) => {
    await eventually(listMatchesFold);
    const { status, body } = await api.get<IncidentPage>(`/v1/incidents?${query}`);
    expect(status).toBe(200);
    expect(body.items).toHaveLength(expected);
    for (const [key, value] of new URLSearchParams(query)) {
      const field = key === 'service' ? 'source' : key;
      for (const item of body.items) expect(value.split(',')).toContain(item[field as keyof typeof item]);
    }
  });

  it('pages through the whole list with the cursor, every incident once and in order', async () => {
    const whole = await eventually(listMatchesFold);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: IncidentPage } = await api.get<IncidentPage>(`/v1/incidents?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(whole.items.map((i) => i.id));
    expect(seen.indexOf(twin[0])).toBe(seen.indexOf(twin[1]) - 1);
  });

  it.each([
    ['limit=500', 'limit'],
    ['cursor=bm9wZQ', 'cursor'],
    ['severity=SEV-0', 'severity'],
    ['colour=red', 'colour'],
  ])('answers 400 for %s, naming %s', async (query, parameter) => {
    const { status, body } = await api.get<{ problems: { parameter: string }[] }>(`/v1/incidents?${query}`);
    expect(status).toBe(400);
    expect(body.problems.map((p) => p.parameter)).toEqual([parameter]);
  });

  it('goes on after a restart without counting anything twice', async () => {
    await eventually(listMatchesFold);
    await api.close();
    // Written while no projector runs; repeat users must still count once.
    await record(storm, [signal(minutesAfter(T0, 60), { userId: 'u-1' }), signal(minutesAfter(T0, 61), { userId: 'someone-new' })]);
    api = await startApi(scratch);
    const body = await eventually(listMatchesFold);
    expect(body.items.find((i) => i.id === storm)).toMatchObject({ signalCount: 302, affectedUsers: 41 });
  });

  it('replays over its own rows without changing them when only its checkpoint went back', async () => {
    const before = await eventually(listMatchesFold);
    await api.close();
    // As if a crash lost the checkpoint but not the rows: the version guard must hold.
    const checkpoints = new CheckpointStore(scratch.dataSource);
    await checkpoints.store(INCIDENTS_CHECKPOINT, START);
    const projection = new IncidentProjection(scratch.dataSource, scratch.store, checkpoints, { batchSize: 50 });
    await eventually(async () => {
      const outcome = await projection.runBatch();
      if (outcome === 'busy' || outcome.read > 0) throw new Error('not caught up yet');
    });
    api = await startApi(scratch);
    expect((await api.get<IncidentPage>('/v1/incidents?limit=200')).body).toEqual(before);
  });

  it('rebuilds the same list from the log after rebuild() emptied it', async () => {
    const before = await eventually(listMatchesFold);
    await api.app.get(IncidentProjector).rebuild();
    const after = await eventually(listMatchesFold);
    expect(after).toEqual(before);
  });

  it('follows new events while it runs: a severity change shows up in the list', async () => {
    const [id] = twin;
    await record(id, [severityChanged(minutesAfter(T0, 45), 'SEV-3', 'SEV-2')]);
    const body = await eventually(listMatchesFold);
    expect(body.items.find((i) => i.id === id)).toMatchObject({ severity: 'SEV-2', version: 2 });
  });
});
