import { randomUUID } from 'node:crypto';
import { deterministicUuid, Streams } from '@incident/contracts';
import type { StoredEvent } from '@incident/event-store';
import type { IdempotentConsumer } from '@incident/messaging';
import type { Postmortem } from '@incident/postmortem-domain';
import { toKafkaMessage } from '@incident/messaging';
import { createScratchEventStore, createTopics, deleteTopics, eventually, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { Kafka, Producer } from 'kafkajs';
import { dueRows, IncidentOnLog, minutesAfter, postmortemStream, startReplica } from '../int-support/postmortem-fixture';

// Real PostgreSQL (a scratch schema) and the real broker (topics of this file's own).
describe('postmortem: drafted when an incident resolves, re-drafted as it changes (real PostgreSQL and Kafka)', () => {
  let log: ScratchEventStore;
  let kafka: Kafka;
  let producer: Producer;
  const consumers: IdempotentConsumer[] = [];
  const topic = uniqueName('postmortem-draft');
  const topics = { incidents: topic, deadLetter: `${topic}-dlq` };

  beforeAll(async () => {
    log = await createScratchEventStore();
    kafka = testKafka('postmortem-draft');
    await createTopics(kafka, Object.values(topics), 2);
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    consumers.push(await startReplica(kafka, log, topics, uniqueName('postmortem')));
  });

  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await producer?.disconnect();
    await deleteTopics(kafka, Object.values(topics));
    await log?.dispose();
  });

  async function publish(events: StoredEvent[]): Promise<void> {
    await producer.send({ topic: topics.incidents, acks: -1, messages: events.map(toKafkaMessage) });
  }

  const drafts = (incidentId: string) => async () => (await postmortemStream(log, incidentId)).filter((e) => e.type === 'PostmortemDrafted');

  it('drafts revision 1 on resolution with a deterministic id, due 24 h later, and nothing while the incident was open', async () => {
    const incident = new IncidentOnLog(log);
    const t0 = new Date(Date.now() - 60 * 60_000).toISOString();
    const opened = await incident.opened(t0);
    const acked = await incident.respond(minutesAfter(t0, 5), 'alice', { kind: 'AcknowledgeIncident' });
    const note = await incident.respond(minutesAfter(t0, 6), 'alice', { kind: 'AddNote', noteId: randomUUID(), text: 'hard timeout of 30 s deployed' });
    await publish([...opened, ...acked, ...note]);
    const resolved = await incident.respond(minutesAfter(t0, 40), 'alice', { kind: 'ResolveIncident', reason: 'timeouts back under 1%' });
    await publish(resolved);

    const [draft] = await eventually(drafts(incident.id), (d) => d.length === 1);
    expect(draft).toMatchObject({
      id: deterministicUuid('postmortem', `${resolved[0].id}/postmortem-${incident.id}/0`),
      streamVersion: 1,
      occurredAt: new Date(minutesAfter(t0, 40)),
      payload: { incidentId: incident.id, revision: 1, dueAt: minutesAfter(t0, 40 + 24 * 60), blameWarnings: [], basis: { rule: 'postmortem.draft-on-resolution' } },
      metadata: { causationId: resolved[0].id, correlationId: resolved[0].metadata.correlationId, actor: 'postmortem' },
    });
    const pm = draft.payload['postmortem'] as Postmortem;
    expect(pm).toMatchObject({ duration: '40 minutes', incidentVersion: 5, rootCause: null });
    expect(pm.timeline.map((e) => e.event)).toEqual(['IncidentOpened', 'SignalAttached', 'IncidentAcknowledged', 'NoteAdded', 'IncidentResolved']);
    expect(await dueRows(log, incident.id)).toEqual([{ due_at: new Date(minutesAfter(t0, 40 + 24 * 60)), overdue_at: null, stream_version: 1 }]);
  });

  it('re-drafts when a root cause and action items are recorded after resolution, warns on blame, and a redelivery changes nothing', async () => {
    const incident = new IncidentOnLog(log);
    const t0 = new Date(Date.now() - 2 * 60 * 60_000).toISOString();
    const history = [...(await incident.opened(t0)), ...(await incident.respond(minutesAfter(t0, 30), 'bob', { kind: 'ResolveIncident', reason: 'glob fixed' }))];
    await publish(history);
    await eventually(drafts(incident.id), (d) => d.length === 1);

    const analysis = {
      fiveWhys: ['Why did the agent time out? It took > 300 s', 'Why? Ivan forgot to exclude node_modules from the glob'],
      fishbone: { people: [], process: [], technology: ['no prompt size limit'], environment: [] },
      rootCause: 'Glob pattern matched node_modules', fix: 'Exclude node_modules', contributingFactors: [], wentWell: [], wentPoorly: [], lessonsLearned: [],
    };
    const rootCause = await incident.respond(minutesAfter(t0, 60), 'bob', { kind: 'RecordRootCause', analysis });
    const item = await incident.respond(minutesAfter(t0, 61), 'bob', { kind: 'AddActionItem', itemId: randomUUID(), title: 'Add max prompt size', priority: 'P0', owner: 'agents-team', dueDate: '2030-01-01' });
    await publish([...rootCause, ...item, history[history.length - 1]]);

    // One batch may hold both events (one re-draft), or each come alone (two): either way the
    // latest revision holds both, and revisions count up from 1.
    const all = await eventually(drafts(incident.id), (d) => (d.at(-1)?.payload['postmortem'] as Postmortem | undefined)?.actionItems.length === 1);
    expect(all.map((d) => d.payload['revision'])).toEqual(all.map((_, i) => i + 1));
    expect(all.length).toBeGreaterThanOrEqual(2);
    const latest = all[all.length - 1].payload;
    expect((latest['postmortem'] as Postmortem).rootCause).toMatchObject({ statement: 'Glob pattern matched node_modules' });
    expect((latest['postmortem'] as Postmortem).actionItems).toMatchObject([{ title: 'Add max prompt size', priority: 'P0', owner: 'agents-team', dueDate: '2030-01-01' }]);
    expect(latest['blameWarnings']).toEqual([expect.objectContaining({ field: 'rootCause.fiveWhys.1', rule: 'named-person', match: 'Ivan forgot to' })]);

    // The resolution again (a redelivery of the same event): claimed already, nothing new.
    await publish([history[history.length - 1]]);
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await drafts(incident.id)()).toHaveLength(all.length);
  });

  it('puts the remediation steps the log recorded before the resolution into the timeline', async () => {
    const incident = new IncidentOnLog(log);
    const t0 = new Date(Date.now() - 3 * 60 * 60_000).toISOString();
    const opened = await incident.opened(t0);
    await log.store.append(
      Streams.remediation(incident.id),
      [{ id: randomUUID(), type: 'StepSucceeded', schemaVersion: 1, occurredAt: new Date(minutesAfter(t0, 3)), payload: { at: minutesAfter(t0, 3), runId: 'r1', stepId: 'restart-agent' }, metadata: { actor: 'remediation' } }],
      { expectedVersion: 'no_stream' },
    );
    const resolved = await incident.respond(minutesAfter(t0, 10), 'carol', { kind: 'ResolveIncident', reason: 'agent restarted' });
    await publish([...opened, ...resolved]);
    const [draft] = await eventually(drafts(incident.id), (d) => d.length === 1);
    expect((draft.payload['postmortem'] as Postmortem).timeline.map((e) => e.what)).toContain('Step succeeded: restart-agent (remediation)');
  });
});
