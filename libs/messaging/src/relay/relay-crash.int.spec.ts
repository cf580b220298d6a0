import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { EventEnvelopeSchema } from '@incident/contracts';
import type { NewEvent } from '@incident/event-store';
import type { Kafka } from 'kafkajs';
import { IdempotentConsumer, defineHandler } from '../consumer/idempotent-consumer';
import {
  committedCount,
  createTopics,
  deleteTopics,
  eventually,
  integrationEnv,
  messageCount,
  scratchLog,
  testKafka,
  uniqueName,
  type ScratchLog,
} from '../int-support/int-env';
import { Relay } from './relay';

const WORKSPACE = path.resolve(__dirname, '../../../..');

describe('relay crash between the broker acknowledgement and the checkpoint', () => {
  let log: ScratchLog;
  let kafka: Kafka;
  const topic = uniqueName('relay-crash').replace(/_/g, '-');

  beforeAll(async () => {
    log = await scratchLog();
    await log.createTable('effects', 'seq bigserial PRIMARY KEY, event_id uuid NOT NULL, stream_id text NOT NULL, stream_version int NOT NULL');
    kafka = testKafka('relay-crash-int');
    await createTopics(kafka, [
      { name: topic, partitions: 2 },
      { name: `${topic}-dlq`, partitions: 1 },
    ]);
  });

  afterAll(async () => {
    // Schema first: a broker that went away must not leave a scratch schema behind.
    await log?.dispose();
    await deleteTopics(kafka, [topic, `${topic}-dlq`]);
  });

  it('republishes the unacknowledged-by-checkpoint batch on restart, and the idempotent consumer applies each event exactly once', async () => {
    const streams = [`incident-${randomUUID()}`, `incident-${randomUUID()}`];
    await log.store.append(streams[0], [event(), event(), event()], { expectedVersion: 'no_stream' });
    await log.store.append(streams[1], [event(), event()], { expectedVersion: 'no_stream' });

    // 1. A relay process publishes its first batch of 3 and is SIGKILLed before checkpointing.
    const crashed = await runRelayChild({ batchSize: 3 });
    expect(crashed).toMatchObject({ signal: 'SIGKILL', stdout: expect.stringContaining('published 3') });
    expect(await log.checkpoints.load('relay')).toEqual({ transactionId: '0', globalPosition: '0' });
    expect(await messageCount(kafka, topic)).toBe(3);

    // 2. A restarted relay gets the lock the dead process held (same default key: same schema,
    //    same name) and resumes from the old checkpoint: those 3 go out again, then the other 2.
    const restarted = new Relay(
      { kafka, dataSource: log.dataSource, store: log.store, checkpoints: log.checkpoints },
      { route: () => topic, batchSize: 3, pollIntervalMs: 50, logger: quiet },
    );
    restarted.start();
    try {
      await eventually(() => messageCount(kafka, topic), (n) => n === 8);
      await eventually(() => log.checkpoints.load('relay'), (p) => p.globalPosition !== '0');
    } finally {
      await restarted.stop();
    }

    // 3. The consumer sees 8 messages but applies 5 effects, one per event, in stream order.
    const groupId = uniqueName('crash-consumer');
    const consumer = new IdempotentConsumer(
      { kafka, dataSource: log.dataSource },
      [
        defineHandler({
          topic,
          schema: EventEnvelopeSchema,
          async handle(e, { manager }) {
            await manager.query(`INSERT INTO "${log.schema}".effects (event_id, stream_id, stream_version) VALUES ($1, $2, $3)`, [
              e.id,
              e.streamId,
              e.streamVersion,
            ]);
          },
        }),
      ],
      { groupId, schema: log.schema, deadLetterTopic: `${topic}-dlq`, maxWaitTimeMs: 500, logger: quiet },
    );
    await consumer.start();
    try {
      await eventually(() => committedCount(kafka, groupId, topic), (n) => n === 8);
    } finally {
      await consumer.stop();
    }
    const effects: { event_id: string; stream_id: string; stream_version: number }[] = await log.dataSource.query(
      `SELECT event_id, stream_id, stream_version FROM "${log.schema}".effects ORDER BY seq`,
    );
    expect(effects).toHaveLength(5);
    expect(new Set(effects.map((e) => e.event_id)).size).toBe(5);
    for (const stream of streams) {
      const versions = effects.filter((e) => e.stream_id === stream).map((e) => e.stream_version);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
    expect(await messageCount(kafka, `${topic}-dlq`)).toBe(0);
  });

  function runRelayChild(opts: { batchSize: number }): Promise<{ signal: NodeJS.Signals | null; code: number | null; stdout: string; stderr: string }> {
    const { KAFKA_BROKERS } = integrationEnv();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../int-support/relay-child.ts')], {
      cwd: WORKSPACE,
      env: {
        ...process.env,
        TSX_TSCONFIG_PATH: path.join(WORKSPACE, 'libs/messaging/tsconfig.spec.json'),
        DATABASE_URL: log.appUrl,
        KAFKA_BROKERS,
        RELAY_CHILD_SCHEMA: log.schema,
        RELAY_CHILD_TOPIC: topic,
        RELAY_CHILD_BATCH_SIZE: String(opts.batchSize),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`relay child did not crash in time; stderr: ${stderr}`));
      }, 45_000);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal, stdout, stderr });
      });
    });
  }
});

const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };

function event(): NewEvent {
  return { id: randomUUID(), type: 'SignalReceived', schemaVersion: 1, occurredAt: new Date(), payload: {} };
}
