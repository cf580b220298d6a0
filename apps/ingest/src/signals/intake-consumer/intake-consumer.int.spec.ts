import {
  DeadLetterHeaders,
  SIGNAL_RECEIVED,
  Streams,
} from '@incident/contracts';
import type { Kafka } from 'kafkajs';
import { type IngestUnderTest, startIngest } from '../../testing/ingest-app';
import { eventually, uniqueName } from '../../testing/infra';
import {
  createTopics,
  deleteTopics,
  produce,
  readTopic,
  testKafka,
} from '../../testing/kafka';
import { signalIdOf } from '../recording/signal-id';

describe('Kafka intake consumer (real PostgreSQL and Kafka)', () => {
  const intake = uniqueName('ingest-int-intake');
  const deadLetters = uniqueName('ingest-int-dlq');
  const groupId = uniqueName('ingest-int-group');
  let kafka: Kafka;
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    kafka = testKafka('ingest-intake-int');
    await createTopics(kafka, [intake, deadLetters]);
    ingest = await startIngest({
      env: {
        INTAKE_ENABLED: 'true',
        INTAKE_GROUP_ID: groupId,
        KAFKA_DEAD_LETTER_TOPIC: deadLetters,
        CONSUMER_RETRY_BACKOFF_MS: '50',
      },
      overrides: { topics: { signalIntake: intake } },
    });
    await eventually(
      readiness,
      (r) => r.checks['kafka-intake']?.ok === true,
      30_000,
    );
  });

  afterAll(async () => {
    await ingest?.close();
    await deleteTopics(kafka, [intake, deadLetters]);
  });

  async function readiness(): Promise<{
    ready: boolean;
    checks: Record<string, { ok: boolean; error?: string }>;
  }> {
    return (await fetch(`${ingest.url}/readyz`)).json() as Promise<{
      ready: boolean;
      checks: Record<string, { ok: boolean }>;
    }>;
  }

  it('reports the intake consumer on /readyz once it has joined its group', async () => {
    expect(await readiness()).toMatchObject({
      ready: true,
      checks: { 'kafka-intake': { ok: true } },
    });
  });

  it('moves a malformed message to the dead-letter topic with the reason, and stores the next one', async () => {
    const good = {
      id: uniqueName('intake'),
      source: 'billing',
      message: 'card processor down',
      level: 'FATAL',
    };
    // One key, so one partition: the good message comes after the bad ones.
    await produce(kafka, intake, [
      { key: 'k', value: JSON.stringify({ source: 'billing' }) },
      { key: 'k', value: '{ not json' },
      { key: 'k', value: JSON.stringify(good) },
    ]);

    await eventually(
      () => ingest.scratch.store.readStream(Streams.signal(good.id)),
      (events) => events.length === 1,
    );
    const letters = await readTopic(kafka, deadLetters, 2);
    expect(letters.map((m) => m.value)).toEqual([
      JSON.stringify({ source: 'billing' }),
      '{ not json',
    ]);
    expect(letters[0].headers[DeadLetterHeaders.reason]).toMatch(/message/);
    expect(letters[1].headers[DeadLetterHeaders.reason]).toMatch(
      /invalid JSON/,
    );
    expect(letters[0].headers[DeadLetterHeaders.originalTopic]).toBe(intake);

    const [event] = await ingest.scratch.store.readStream(
      Streams.signal(good.id),
    );
    expect(event.payload).toEqual({
      signalId: good.id,
      channel: 'kafka-intake',
      signal: good,
    });
    expect(event.metadata).toMatchObject({ actor: 'kafka-intake' });
  });

  it('takes a structured CloudEvent, and gives a message without id its content-derived id', async () => {
    const source = uniqueName('svc');
    const anonymous = { source, message: 'disk full' };
    await produce(kafka, intake, [
      {
        key: 'c',
        value: JSON.stringify({
          specversion: '1.0',
          id: 'e-1',
          source,
          type: 'failure',
          data: { message: 'heap exhausted' },
        }),
      },
      { key: 'c', value: JSON.stringify(anonymous) },
    ]);
    const anonymousId = signalIdOf('kafka-intake', anonymous);
    await eventually(
      () => ingest.scratch.store.readStream(Streams.signal(anonymousId)),
      (events) => events.length === 1,
    );
    expect(
      await ingest.scratch.store.readStream(
        Streams.signal(`cloudevent:${source}:e-1`),
      ),
    ).toHaveLength(1);
  });

  it('stores a redelivered or resent signal once, and commits the offsets after the append', async () => {
    const signal = {
      id: uniqueName('dup'),
      source: 'billing',
      message: 'timeout',
    };
    const sentinel = {
      id: uniqueName('sentinel'),
      source: 'billing',
      message: 'after',
    };
    const before = await ingest.count(SIGNAL_RECEIVED);
    await produce(kafka, intake, [
      { key: 'd', value: JSON.stringify(signal) },
      { key: 'd', value: JSON.stringify(signal) },
      { key: 'd', value: JSON.stringify(sentinel) },
    ]);
    await eventually(
      () => ingest.scratch.store.readStream(Streams.signal(sentinel.id)),
      (events) => events.length === 1,
    );
    expect((await ingest.count(SIGNAL_RECEIVED)) - before).toBe(2);
    // Every message produced to the intake in this file has been processed and committed.
    await eventually(
      () => committed(kafka, groupId, intake),
      (n) => n === 8,
    );
  });
});

async function committed(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).reduce(
      (sum, p) => sum + Math.max(0, Number(p.offset)),
      0,
    );
  } finally {
    await admin.disconnect();
  }
}
