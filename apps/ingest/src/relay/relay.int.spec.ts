import {
  EventHeaders,
  SIGNAL_RECEIVED,
  Streams,
  TRAFFIC_SAMPLED,
} from '@incident/contracts';
import type { Kafka } from 'kafkajs';
import {
  aSignal,
  type IngestUnderTest,
  startIngest,
} from '../testing/ingest-app';
import { eventually, uniqueName } from '../testing/infra';
import {
  createTopics,
  deleteTopics,
  readTopic,
  testKafka,
} from '../testing/kafka';

describe('relay in ingest (real PostgreSQL and Kafka)', () => {
  const topics = {
    signals: uniqueName('ingest-int-signals'),
    traffic: uniqueName('ingest-int-traffic'),
    classifications: uniqueName('ingest-int-cls'),
    incidents: uniqueName('ingest-int-inc'),
  };
  let kafka: Kafka;
  let ingest: IngestUnderTest;

  beforeAll(async () => {
    kafka = testKafka('ingest-relay-int');
    await createTopics(kafka, Object.values(topics));
    ingest = await startIngest({
      env: { RELAY_ENABLED: 'true', RELAY_POLL_INTERVAL_MS: '50' },
      overrides: { topics },
    });
  });

  afterAll(async () => {
    await ingest?.close();
    await deleteTopics(kafka, Object.values(topics));
  });

  async function metric(name: string): Promise<number | undefined> {
    const text = await (await fetch(`${ingest.url}/metrics`)).text();
    const line = text
      .split('\n')
      .find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  }

  it('publishes an accepted signal to the signals topic and a traffic sample to the traffic topic, keyed by their streams', async () => {
    const signal = aSignal();
    const source = uniqueName('api');
    expect((await ingest.post('/v1/signals', signal)).status).toBe(202);
    const sample = {
      source,
      windowStart: '2026-01-01T00:00:00Z',
      windowEnd: '2026-01-01T00:01:00Z',
      requests: 10,
      errors: 1,
    };
    expect((await ingest.post('/v1/traffic', sample)).status).toBe(202);

    const [received] = await readTopic(kafka, topics.signals, 1);
    expect(received.headers[EventHeaders.eventType]).toBe(SIGNAL_RECEIVED);
    expect(received.key).toBe(Streams.signal(String(signal['id'])));
    const [sampled] = await readTopic(kafka, topics.traffic, 1);
    expect(sampled.headers[EventHeaders.eventType]).toBe(TRAFFIC_SAMPLED);
    expect(sampled.key).toBe(Streams.source(source));
    expect(await metric('ingest_relay_holds_lock')).toBe(1);
  });

  it('stops at an event type nobody routed instead of skipping it, and shows it on /metrics', async () => {
    await ingest.scratch.store.append(
      `mystery-${uniqueName('s')}`,
      [
        {
          id: '6f0c7c3e-4e1a-4b8a-9f6e-2d2a3c4b5e6f',
          type: 'MysteryHappened',
          schemaVersion: 1,
          occurredAt: new Date(),
          payload: {},
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    await eventually(
      () => metric('ingest_relay_failing'),
      (v) => v === 1,
    );
  });
});
