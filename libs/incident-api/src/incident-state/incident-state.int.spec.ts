import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '@incident/event-store';
import { errorRate, minutesAfter, opened, severityChanged, signal, T0 } from '../fixtures/incident-events';
import { appendIncident, createScratchEventStore, type RunningApi, type ScratchEventStore, startApi } from '../int-support/api';
import type { HistoryPage } from '../incident-history/history';
import type { Timeline } from '../timeline/responses';
import type { IncidentView } from './incident-view';

// One incident recorded in three appends: opened with three signals; then a traffic sample that
// raises SEV-3 to SEV-2; then one more signal. Auditors ask for the state between them.
describe('GET /v1/incidents/{id}: the state of an incident, now or as of then', () => {
  let scratch: ScratchEventStore;
  let api: RunningApi;
  const id = randomUUID();
  let opening: StoredEvent[];
  let escalation: StoredEvent[];

  beforeAll(async () => {
    scratch = await createScratchEventStore({ poolSize: 4 });
    api = await startApi(scratch);
    opening = await appendIncident(scratch, id, [opened({ incidentId: id }), signal(T0, { userId: 'u-1' }), signal(T0, { userId: 'u-2' }), signal(T0, { userId: 'u-1' })], 'no_stream');
    await pause();
    const at = minutesAfter(T0, 2);
    escalation = await appendIncident(scratch, id, [errorRate(at, 1000, 620), severityChanged(at, 'SEV-3', 'SEV-2', 0.62)], 4);
    await pause();
    await appendIncident(scratch, id, [signal(minutesAfter(T0, 3), { userId: 'u-3' })], 6);
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.dispose();
  });

  it('folds every event of the stream by default', async () => {
    const { status, body } = await api.get<IncidentView>(`/v1/incidents/${id}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id, status: 'open', severity: 'SEV-2', version: 7, asOf: { at: null, version: null } });
    expect(body.impact).toMatchObject({ signalCount: 4, affectedUsers: 3, errorRate: 0.62, lastSeenAt: minutesAfter(T0, 3) });
  });

  it('shows the severity before the escalation at a moment between the two appends (?at=)', async () => {
    const between = midpoint(opening[opening.length - 1].recordedAt, escalation[0].recordedAt);
    const { status, body } = await api.get<IncidentView>(`/v1/incidents/${id}?at=${between}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ severity: 'SEV-3', version: 4, asOf: { at: between, version: null } });
    expect(body.impact).toMatchObject({ signalCount: 3, affectedUsers: 2 });
    expect(body.impact.errorRate).toBeUndefined();
  });

  it('gives the state exactly as of a stream version (?version=)', async () => {
    const before = await api.get<IncidentView>(`/v1/incidents/${id}?version=5`);
    expect(before.body).toMatchObject({ severity: 'SEV-3', version: 5, impact: { errorRate: 0.62, signalCount: 3 } });
    const after = await api.get<IncidentView>(`/v1/incidents/${id}?version=6`);
    expect(after.body).toMatchObject({ severity: 'SEV-2', version: 6 });
  });

  it('answers 404 for an incident that did not exist yet at `at`, and for an unknown id', async () => {
    const early = await api.get<{ message: string }>(`/v1/incidents/${id}?at=${new Date(opening[0].recordedAt.getTime() - 1).toISOString()}`);
    expect(early.status).toBe(404);
    expect(early.body.message).toMatch(/has no opening event recorded at or before/);
    expect((await api.get(`/v1/incidents/${randomUUID()}`)).status).toBe(404);
  });

  it.each([
    ['?at=yesterday', 'at'],
    ['?version=0', 'version'],
    ['?version=two', 'version'],
  ])('answers 400 for %s, naming %s', async (query, parameter) => {
    const { status, body } = await api.get<{ problems: { parameter: string }[] }>(`/v1/incidents/${id}${query}`);
    expect(status).toBe(400);
    expect(body.problems.map((p) => p.parameter)).toEqual([parameter]);
  });

  it('answers 400 naming `id` for an id that is not a UUID', async () => {
    for (const path of ['/v1/incidents/not-an-id', '/v1/incidents/not-an-id/events', '/v1/incidents/not-an-id/timeline']) {
      const { status, body } = await api.get<{ problems: { parameter: string }[] }>(path);
      expect([path, status, body.problems[0].parameter]).toEqual([path, 400, 'id']);
    }
  });

  it('lists the raw history with versions, times, payload and metadata, a page at a time', async () => {
    const all = await api.get<HistoryPage>(`/v1/incidents/${id}/events`);
    expect(all.status).toBe(200);
    expect(all.body.events.map((e) => [e.version, e.type])).toEqual([
      [1, 'IncidentOpened'], [2, 'SignalAttached'], [3, 'SignalAttached'], [4, 'SignalAttached'],
      [5, 'ErrorRateMeasured'], [6, 'SeverityChanged'], [7, 'SignalAttached'],
    ]);
    expect(all.body.events[5]).toMatchObject({ occurredAt: minutesAfter(T0, 2), payload: { from: 'SEV-3', to: 'SEV-2' }, metadata: { actor: 'correlation' } });
    expect(all.body.events[5].recordedAt).toBe(escalation[1].recordedAt.toISOString());
    expect(all.body.nextFromVersion).toBeNull();
    const page = await api.get<HistoryPage>(`/v1/incidents/${id}/events?fromVersion=3&limit=2`);
    expect([page.body.events.map((e) => e.version), page.body.nextFromVersion]).toEqual([[3, 4], 5]);
    expect((await api.get(`/v1/incidents/${randomUUID()}/events`)).status).toBe(404);
  });

  it('tells the story in a timeline: signals counted, the escalation with its rule and inputs', async () => {
    const { status, body } = await api.get<Timeline>(`/v1/incidents/${id}/timeline`);
    expect(status).toBe(200);
    expect(body.entries.map((e) => [e.event, e.count])).toEqual([
      ['IncidentOpened', 1],
      ['SignalAttached', 3],
      ['ErrorRateMeasured', 1],
      ['SeverityChanged', 1],
      ['SignalAttached', 1],
    ]);
    expect(body.entries[3]).toMatchObject({ actor: 'correlation', basis: { rule: 'severity.major-degradation', policyVersion: 'correlation-policy/v1', inputs: { errorRate: 0.62 } } });
    expect(body.entries[3].text).toMatch(/^2025-03-01 10:02:00 UTC {2}severity SEV-3 -> SEV-2/);
  });
});

function midpoint(a: Date, b: Date): string {
  expect(b.getTime() - a.getTime()).toBeGreaterThan(2);
  return new Date(Math.floor((a.getTime() + b.getTime()) / 2)).toISOString();
}

/** recorded_at has microseconds but Date keeps milliseconds: a gap makes "between" exact. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 30));
}
