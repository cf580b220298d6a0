import { randomUUID } from 'node:crypto';
import { deterministicUuid, Streams } from '@incident/contracts';
import { foldPostmortem, type PostmortemEvent } from '@incident/postmortem-domain';
import { createScratchEventStore, type ScratchEventStore } from '@incident/testing';
import { draftOnIncidentEvent } from '../draft-postmortem/draft-postmortem';
import { dueRows, IncidentOnLog, minutesAfter, postmortemDeps, postmortemStream } from '../int-support/postmortem-fixture';
import { OverduePoller } from './overdue-poller';

const HOUR = 60 * 60_000;

// Real PostgreSQL (a scratch schema); the draft is decided directly, as the consumer would.
describe('postmortem: a draft not final 24 hours after resolution is flagged overdue (real PostgreSQL)', () => {
  let log: ScratchEventStore;
  const pollers: OverduePoller[] = [];

  beforeAll(async () => {
    log = await createScratchEventStore();
  });

  afterAll(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
    await log?.dispose();
  });

  async function resolvedIncident(resolvedAt: string): Promise<string> {
    const incident = new IncidentOnLog(log);
    await incident.opened(minutesAfter(resolvedAt, -20));
    const [resolved] = await incident.respond(resolvedAt, 'alice', { kind: 'ResolveIncident', reason: 'fixed' });
    await log.dataSource.transaction((tx) => draftOnIncidentEvent(tx, postmortemDeps(log), { ...resolved, occurredAt: resolved.occurredAt.toISOString(), recordedAt: resolved.recordedAt.toISOString() }));
    return incident.id;
  }

  it('flags nothing before the due time', async () => {
    const id = await resolvedIncident(new Date(Date.now() - HOUR).toISOString());
    const poller = new OverduePoller(log.dataSource, postmortemDeps(log), { intervalMs: 50, batch: 10 });
    expect(await poller.tick()).not.toContain(id);
    expect((await postmortemStream(log, id)).map((e) => e.type)).toEqual(['PostmortemDrafted']);
  });

  it('flags a draft past due exactly once, with two replicas polling, at its due time in event time', async () => {
    const resolvedAt = new Date(Date.now() - 30 * HOUR).toISOString();
    const id = await resolvedIncident(resolvedAt);
    const dueAt = new Date(Date.parse(resolvedAt) + 24 * HOUR).toISOString();
    const before = Date.now();
    for (let i = 0; i < 2; i++) {
      const poller = new OverduePoller(log.dataSource, postmortemDeps(log), { intervalMs: 50, batch: 10 });
      pollers.push(poller);
      poller.start();
    }
    const flagged = async () => (await postmortemStream(log, id)).filter((e) => e.type === 'PostmortemOverdue');
    for (let i = 0; i < 100 && (await flagged()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500)); // both pollers get their chance to flag it twice
    await Promise.all(pollers.splice(0).map((p) => p.stop()));

    const events = await postmortemStream(log, id);
    expect(events.map((e) => e.type)).toEqual(['PostmortemDrafted', 'PostmortemOverdue']);
    expect(events[1]).toMatchObject({
      id: deterministicUuid('postmortem', `${deterministicUuid('postmortem-due', `${id}@${dueAt}`)}/${Streams.postmortem(id)}/0`),
      occurredAt: new Date(dueAt),
      payload: { at: dueAt, revision: 1, dueAt, basis: { rule: 'postmortem.overdue' } },
    });
    const firedAt = Date.parse((events[1].payload['basis'] as { inputs: { firedAt: string } }).inputs.firedAt);
    expect(firedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(await dueRows(log, id)).toEqual([{ due_at: new Date(dueAt), overdue_at: new Date(dueAt), stream_version: 2 }]);
    // The log alone tells the same story (the read model is disposable).
    expect(foldPostmortem(events.map((e) => ({ type: e.type, data: e.payload }) as PostmortemEvent))).toMatchObject({ status: 'overdue', overdueAt: dueAt });
  });

  it('flags on the timer\'s own clock, recorded, so a poller that is late still flags at the due time', async () => {
    const resolvedAt = new Date(Date.now() - HOUR).toISOString();
    const id = await resolvedIncident(resolvedAt);
    const later = new OverduePoller(log.dataSource, postmortemDeps(log), { intervalMs: 50, batch: 10, clock: () => new Date(Date.now() + 48 * HOUR) });
    expect(await later.tick()).toContain(id);
    const [, overdue] = await postmortemStream(log, id);
    expect(overdue.payload).toMatchObject({ at: new Date(Date.parse(resolvedAt) + 24 * HOUR).toISOString() });
  });

  it('never flags a postmortem finalized in time, and takes its row out of every later claim', async () => {
    const resolvedAt = new Date(Date.now() - HOUR).toISOString();
    const id = await resolvedIncident(resolvedAt);
    // As the front door records it (incident-api's finalize endpoint appends to the stream).
    await log.store.append(
      Streams.postmortem(id),
      [{ id: randomUUID(), type: 'PostmortemFinalized', schemaVersion: 1, occurredAt: new Date(), payload: { at: new Date().toISOString(), incidentId: id, revision: 1, actor: 'alice' }, metadata: { actor: 'alice' } }],
      { expectedVersion: 1 },
    );
    const later = new OverduePoller(log.dataSource, postmortemDeps(log), { intervalMs: 50, batch: 10, clock: () => new Date(Date.now() + 48 * HOUR) });
    expect(await later.tick()).toContain(id); // claimed once: the row still said due
    expect((await postmortemStream(log, id)).map((e) => e.type)).toEqual(['PostmortemDrafted', 'PostmortemFinalized']);
    expect(await dueRows(log, id)).toEqual([{ due_at: Infinity, overdue_at: null, stream_version: 2 }]);
    expect(await later.tick()).not.toContain(id);
  });
});
