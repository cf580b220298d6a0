import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CheckpointStore, EventStore, createDataSource, ensureDatabase, ensureRoles, runMigrations } from '@incident/event-store';
import type { DataSource } from 'typeorm';
import { loadMessagingConfig } from '../config/messaging-config';
import { createKafka } from '../config/kafka-factory';
import type { Kafka } from 'kafkajs';

// Helpers for *.int.spec.ts only (excluded from the library build). They talk to the real
// PostgreSQL and the real broker that `npm run infra:up` starts; nothing here is a mock. The
// generic broker helpers are the testing lib's; what is here is messaging's own (its Kafka
// client under test, a scratch log with checkpoints and fixture tables).
export { committedCount, deleteTopics, eventually } from '@incident/testing';

const WORKSPACE = path.resolve(__dirname, '../../../..');

/** Environment first, then what `infra:up` wrote to .cache/infra.env, then local defaults. */
export function integrationEnv(): { DATABASE_URL: string; KAFKA_BROKERS: string } {
  let file: Record<string, string> = {};
  try {
    const text = readFileSync(path.join(WORKSPACE, '.cache/infra.env'), 'utf8');
    file = Object.fromEntries(
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line && !line.startsWith('#') && line.includes('='))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  } catch {
    // no infra.env: fall through to the defaults
  }
  return {
    DATABASE_URL: process.env['DATABASE_URL'] || file['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/incidents',
    KAFKA_BROKERS: process.env['KAFKA_BROKERS'] || file['KAFKA_BROKERS'] || '127.0.0.1:9092',
  };
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export function testKafka(clientId: string): Kafka {
  const config = loadMessagingConfig({ KAFKA_BROKERS: integrationEnv().KAFKA_BROKERS, KAFKA_LOG_LEVEL: 'nothing' }, { clientId });
  return createKafka(config.kafka);
}

export interface ScratchLog {
  schema: string;
  /** Logged in as incident_app, like the services, so the tests run under the real grants. */
  dataSource: DataSource;
  appUrl: string;
  /** Logged in as the admin, for test fixtures (tables the effects are counted in). */
  admin: DataSource;
  store: EventStore;
  checkpoints: CheckpointStore;
  /** Creates a fixture table that incident_app may read and insert into. */
  createTable(name: string, columns: string): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * A migrated schema of its own per test file, dropped afterwards (STYLE.md 12: random ids, no
 * truncating shared tables). Beyond @incident/testing's createScratchEventStore: the checkpoint
 * store the relay uses, the app role's URL for child processes, and fixture tables.
 */
export async function scratchLog(): Promise<ScratchLog> {
  const { DATABASE_URL } = integrationEnv();
  await ensureDatabase(DATABASE_URL);
  await ensureRoles(DATABASE_URL);
  const schema = uniqueName('msg_test');
  await runMigrations({ databaseUrl: DATABASE_URL, schema });
  const appUrl = new URL(DATABASE_URL);
  appUrl.username = 'incident_app';
  appUrl.password = '';
  const dataSource = createDataSource(appUrl.toString(), { schema, poolSize: 8, applicationName: 'messaging-int-test' });
  const admin = createDataSource(DATABASE_URL, { schema, poolSize: 2, applicationName: 'messaging-int-admin' });
  await Promise.all([dataSource.initialize(), admin.initialize()]);
  return {
    schema,
    dataSource,
    appUrl: appUrl.toString(),
    admin,
    store: new EventStore(dataSource, { schema }),
    checkpoints: new CheckpointStore(dataSource, { schema }),
    async createTable(name, columns) {
      await admin.query(`CREATE TABLE "${schema}".${name} (${columns})`);
      await admin.query(`GRANT SELECT, INSERT ON "${schema}".${name} TO incident_app`);
      await admin.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA "${schema}" TO incident_app`);
    },
    async dispose() {
      await dataSource.destroy();
      await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await admin.destroy();
    },
  };
}

export async function createTopics(kafka: Kafka, topics: { name: string; partitions: number }[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({ topic: t.name, numPartitions: t.partitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}


/** How many messages a topic holds (sum of high watermarks): exact, unlike "wait a bit". */
export async function messageCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}


