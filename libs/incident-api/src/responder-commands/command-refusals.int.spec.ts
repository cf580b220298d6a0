import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import type { EventStore } from '@incident/event-store';
import { opened } from '../fixtures/incident-events';
import type { IncidentView } from '../incident-state/incident-view';
import { appendIncident, createScratchEventStore, KEYS, type RunningApi, type ScratchEventStore, startApi } from '../int-support/api';
import { handleResponderCommand, StaleVersion } from './handle-responder-command';

// What the responder API refuses, and that a refusal records nothing.
describe('responder commands the API refuses', () => {
  let scratch: ScratchEventStore;
  let api: RunningApi;

  beforeAll(async () => {
    scratch = await createScratchEventStore({ poolSize: 6 });
    api = await startApi(scratch);
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.dispose();
  });

  /** A freshly opened incident (version 1). */
  async function incident(): Promise<string> {
    const id = randomUUID();
    await appendIncident(scratch, id, [opened({ incidentId: id })], 'no_stream');
    return id;
  }

  const versionOf = async (id: string) => (await scratch.store.readStream(Streams.incident(id))).length;

  it('acknowledges once: a second acknowledgement at the new version is 409 ALREADY_ACKNOWLEDGED', async () => {
    const id = await incident();
    expect(await api.post(`/v1/incidents/${id}/acknowledge`, { expectedVersion: 1 })).toMatchObject({ status: 200, body: { version: 2 } });
    const again = await api.post(`/v1/incidents/${id}/acknowledge`, { expectedVersion: 2 }, KEYS.bob);
    expect(again).toEqual({ status: 409, body: { error: 'ALREADY_ACKNOWLEDGED', message: expect.stringMatching(/^already acknowledged by alice at /) } });
    expect(await versionOf(id)).toBe(2);
  });

  it('lets exactly one of two clients at the same version through; the other gets stale_version and overwrites nothing', async () => {
    for (let round = 0; round < 5; round++) {
      const id = await incident();
      const [a, b] = await Promise.all([
        api.post(`/v1/incidents/${id}/status`, { status: 'identified', expectedVersion: 1 }, KEYS.alice),
        api.post(`/v1/incidents/${id}/status`, { status: 'monitoring', expectedVersion: 1 }, KEYS.bob),
      ]);
      const statuses = [a.status, b.status].sort();
      expect(statuses).toEqual([200, 409]);
      const [winner, loser] = a.status === 200 ? [{ who: 'alice', status: 'identified' }, b] : [{ who: 'bob', status: 'monitoring' }, a];
      expect(loser.body).toEqual({ error: 'stale_version', message: expect.any(String), expectedVersion: 1, actualVersion: 2 });
      const events = await scratch.store.readStream(Streams.incident(id));
      expect(events.map((e) => [e.type, e.metadata.actor])).toEqual([['IncidentOpened', 'correlation'], ['ResponseStatusChanged', winner.who]]);
      expect((await api.get<IncidentView>(`/v1/incidents/${id}`)).body).toMatchObject({ version: 2, responseStatus: winner.status });
    }
  });

  it('answers a version that is behind with stale_version and the current one, before judging the command', async () => {
    const id = await incident();
    await api.post(`/v1/incidents/${id}/acknowledge`, { expectedVersion: 1 });
    // Acknowledging again is refused either way; the stale client learns that it missed a change.
    expect(await api.post(`/v1/incidents/${id}/acknowledge`, { expectedVersion: 1 }, KEYS.bob)).toMatchObject({
      status: 409,
      body: { error: 'stale_version', expectedVersion: 1, actualVersion: 2 },
    });
    expect(await api.post(`/v1/incidents/${id}/notes`, { text: 'from the future', expectedVersion: 9 })).toMatchObject({ status: 409, body: { actualVersion: 2 } });
  });

  it('turns a writer that slips in between the read and the append into stale_version, keeping the rival\'s event', async () => {
    const id = await incident();
    // Bob's note lands after this command read the stream at version 1 and before it appends.
    const bobsNote = { type: 'NoteAdded' as const, data: { at: '2025-03-01T10:01:00.000Z', actor: 'bob', noteId: randomUUID(), text: 'first' } };
    const racing: Pick<EventStore, 'readStream' | 'append'> = {
      readStream: async (stream, opts) => {
        const events = await scratch.store.readStream(stream, opts);
        await appendIncident(scratch, id, [bobsNote], 1);
        return events;
      },
      append: (stream, events, opts) => scratch.store.append(stream, events, opts),
    };
    const metadata = { actor: 'alice', correlationId: randomUUID() };
    const command = { kind: 'AddNote' as const, noteId: randomUUID(), text: 'second', actor: 'alice', at: new Date().toISOString() };
    await expect(handleResponderCommand(racing, id, command, 1, metadata)).rejects.toEqual(new StaleVersion(1, 2));
    const events = await scratch.store.readStream(Streams.incident(id));
    expect(events.map((e) => e.payload['text'] ?? e.type)).toEqual(['IncidentOpened', 'first']);
  });

  it('answers 404 for an unknown incident, whatever the version, and for an unknown action item', async () => {
    const unknown = randomUUID();
    expect(await api.post(`/v1/incidents/${unknown}/acknowledge`, { expectedVersion: 1 })).toEqual({
      status: 404,
      body: { error: 'NOT_FOUND', message: `incident ${unknown} does not exist` },
    });
    expect(await versionOf(unknown)).toBe(0);
    const id = await incident();
    expect(await api.post(`/v1/incidents/${id}/action-items/${randomUUID()}/complete`, { expectedVersion: 1 })).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
  });

  it('answers 409 INCIDENT_RESOLVED to a command the resolution closed, yet still takes notes', async () => {
    const id = await incident();
    await api.post(`/v1/incidents/${id}/status`, { status: 'resolved', reason: 'rolled back', expectedVersion: 1 });
    expect(await api.post(`/v1/incidents/${id}/severity`, { severity: 'SEV-1', reason: 'worse', expectedVersion: 2 })).toMatchObject({
      status: 409,
      body: { error: 'INCIDENT_RESOLVED' },
    });
    expect(await api.post(`/v1/incidents/${id}/notes`, { text: 'for the postmortem', expectedVersion: 2 })).toMatchObject({ status: 201, body: { version: 3 } });
  });

  it('answers 400 naming each bad field, and records nothing', async () => {
    const id = await incident();
    const bad = await api.post<{ error: string; problems: { parameter: string; message: string }[] }>(`/v1/incidents/${id}/action-items`, {
      title: '',
      priority: 'P9',
      dueDate: 'soon',
      assignee: 'x',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('bad_request');
    expect(bad.body.problems.map((p) => p.parameter).sort()).toEqual(['assignee', 'dueDate', 'expectedVersion', 'owner', 'priority', 'title']);
    expect((await api.post<{ problems: { parameter: string }[] }>(`/v1/incidents/not-an-id/acknowledge`, { expectedVersion: 1 })).body.problems).toEqual([
      { parameter: 'id', message: 'must be an incident id (a UUID)' },
    ]);
    expect((await api.post(`/v1/incidents/${id}/acknowledge`, '{"expectedVersion": ')).status).toBe(400);
    expect(await versionOf(id)).toBe(1);
  });

  it('answers 403 to keys without incidents:write (a reader, an auditor) and 401 without a key, recording nothing', async () => {
    const id = await incident();
    for (const key of [KEYS.reader, KEYS.auditor, KEYS.publisher]) {
      const { status, body } = await api.post<{ message: string }>(`/v1/incidents/${id}/acknowledge`, { expectedVersion: 1 }, key);
      expect([status, body.message]).toEqual([403, expect.stringMatching(/lacks the scope "incidents:write"/)]);
    }
    expect((await api.post(`/v1/incidents/${id}/resolve`, { reason: 'x', expectedVersion: 1 }, null)).status).toBe(401);
    expect(await versionOf(id)).toBe(1);
  });
});
