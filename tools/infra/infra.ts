// `tsx tools/infra/infra.ts up | down [--purge]`: the PostgreSQL and Kafka that this project's
// tests and services need, without Docker. `up` is idempotent and either succeeds with
// .cache/infra.env written, or fails with a clear message and leaves no broker it started.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TOPICS } from '../../libs/contracts/src/topics';
import { stopBroker } from './broker-process';
import {
  CACHE_DIR,
  DEFAULT_DATABASE_URL,
  EVENT_STORE_SCHEMA,
  INFRA_ENV_FILE,
  REPO_ROOT,
  kafkaPaths,
} from './config';
import { ensureKafka } from './kafka';
import { ensureTopics } from './kafka-admin';
import { databaseName, ensureDatabase, redactUrl } from './postgres';
import { InfraError, killHelpers, log } from './preconditions';

// True while this invocation owns a broker it started, so a failure or Ctrl-C stops it.
let startedHere = false;

const MIGRATIONS = 'libs/event-store/src/migrations/run.ts';
const rel = (p: string) => path.relative(REPO_ROOT, p);

async function migrate(databaseUrl: string): Promise<void> {
  // The event store owns its migrations; this only calls them. Imported lazily so that
  // `down` and the Kafka half never depend on that library compiling.
  const { runMigrations } = (await import(
    '../../libs/event-store/src/migrations/run'
  )) as {
    runMigrations(o: {
      databaseUrl: string;
      schema?: string;
    }): Promise<string[]>;
  };
  const applied = await runMigrations({
    databaseUrl,
    schema: EVENT_STORE_SCHEMA,
  });
  log(
    applied.length > 0
      ? `applied migrations: ${applied.join(', ')}`
      : 'event-store schema up to date',
  );
}

async function up(): Promise<void> {
  const t0 = Date.now();
  const databaseUrl =
    process.env['DATABASE_URL']?.trim() || DEFAULT_DATABASE_URL;
  log(`PostgreSQL ${redactUrl(databaseUrl)}`);
  // The quick checks first: a missing database fails in seconds, not after a broker start.
  const report = await ensureDatabase(databaseUrl);
  if (report.createdDatabase)
    log(`created database ${databaseName(databaseUrl)}`);
  if (report.createdRoles.length > 0) {
    log(`created roles ${report.createdRoles.join(', ')}`);
  }
  if (!fs.existsSync(path.join(REPO_ROOT, MIGRATIONS))) {
    throw new InfraError(`event-store migrations not found: ${MIGRATIONS}`);
  }
  // Migrations and the broker are independent and the JVM start dominates: overlap them.
  const [db, kafka] = await Promise.allSettled([
    migrate(databaseUrl),
    ensureKafka(() => (startedHere = true)),
  ]);
  if (db.status === 'rejected') {
    if (kafka.status === 'rejected') log(errorText(kafka.reason));
    throw db.reason;
  }
  if (kafka.status === 'rejected') throw kafka.reason;
  const { brokers, started } = kafka.value;
  const created = await ensureTopics(brokers, TOPICS);
  log(
    created.length > 0
      ? `created topics: ${created.join(', ')}`
      : `all ${TOPICS.length} topics exist`,
  );
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const env = [
    `DATABASE_URL=${databaseUrl}`,
    `KAFKA_BROKERS=${brokers.join(',')}`,
    `STARTED_KAFKA=${started ? 1 : 0}`,
  ];
  fs.writeFileSync(INFRA_ENV_FILE, `${env.join('\n')}\n`);
  startedHere = false; // handed over: from now on stopping it is `infra down`'s job
  const took = ((Date.now() - t0) / 1000).toFixed(1);
  log(`ready in ${took} s; settings in ${rel(INFRA_ENV_FILE)}`);
}

async function down(purge: boolean): Promise<void> {
  const result = await stopBroker();
  log(
    result === 'not-running'
      ? 'no broker of this project is running'
      : `Kafka broker ${result}`,
  );
  // Its KAFKA_BROKERS may name what just stopped; the next `up` writes it again.
  fs.rmSync(INFRA_ENV_FILE, { force: true });
  if (purge) {
    fs.rmSync(kafkaPaths.data, { recursive: true, force: true });
    log(`deleted ${rel(kafkaPaths.data)}`);
  }
}

function errorText(err: unknown): string {
  if (err instanceof InfraError) return err.message;
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

async function cleanUpAndExit(code: number): Promise<never> {
  killHelpers();
  if (startedHere) {
    startedHere = false;
    await stopBroker().catch(() => undefined);
    log('stopped the broker this run had started');
  }
  process.exit(code);
}

// kafkajs 2.2.4 on Node 24 sets a negative timeout (kafkajs#1751), harmless: hide only that.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') console.warn(w);
});
process.on('SIGINT', () => void cleanUpAndExit(130));
process.on('SIGTERM', () => void cleanUpAndExit(143));

async function main(): Promise<void> {
  const [cmd, ...rest] = process.argv.slice(2);
  try {
    if (cmd === 'up') await up();
    else if (cmd === 'down') await down(rest.includes('--purge'));
    else throw new InfraError('usage: infra.ts up | down [--purge]');
  } catch (err) {
    console.error(`[infra] FAILED: ${errorText(err)}`);
    await cleanUpAndExit(1);
  }
}

void main();
