// npm run bench:event-store   (DATABASE_URL = an admin URL; default: the local server)
// One run, one scratch schema: batched append throughput (1 and 8 writers) next to a raw INSERT
// ceiling measured the same way, single-event append latency, and whole-log readAll throughput
// over at least a million events next to a raw SELECT scan. The schema is dropped at the end.
// CPU per row (node, and the server when it runs here) is printed next to each rate: on a shared
// machine the rates move with other tenants' load, the CPU cost per row much less.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  EventStore,
  START,
  createDataSource,
  ensureDatabase,
  ensureRoles,
  runMigrations,
} from '../../libs/event-store/src';
import { createRawTable, rawInsert, rawScan } from './event-store-raw';
import { serverCpu } from './server-cpu';
import {
  BATCH,
  type Rate,
  batch,
  cpu,
  cpuRatio,
  fmt,
  interleaved,
  load,
  percentile,
  rate,
  rssMb,
  withServerCpu,
} from './event-store-support';

const URL =
  process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/incidents';
const PHASE_MS = Number(process.env['BENCH_PHASE_MS'] ?? 10_000);
const READ_TARGET = Number(process.env['BENCH_READ_EVENTS'] ?? 1_000_000);
const READ_PAGE = 5000;
const LATENCY_SAMPLES = 2000;

async function main(): Promise<void> {
  await ensureDatabase(URL);
  await ensureRoles(URL);
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await runMigrations({ databaseUrl: URL, schema });
  const dataSource = await createDataSource(URL, {
    schema,
    poolSize: 10,
    applicationName: 'event-store-bench',
  }).initialize();
  try {
    const [{ version }] = await dataSource.query(
      `SELECT current_setting('server_version') AS version`,
    );
    console.log(
      `event-store bench: schema ${schema}, PostgreSQL ${version}, Node ${process.version}, batches of ${BATCH}, ~300 B payloads`,
    );
    console.log(`start: ${load()}`);
    const store = new EventStore(dataSource);
    const raw = await createRawTable(dataSource, schema);
    const rawBatch = (w: number): Promise<number> =>
      rawInsert(dataSource, raw, BATCH, w).then(() => BATCH);
    const versions = new Map<string, number>();
    const appendBatch = async (w: number): Promise<number> => {
      const stream = `bench-${w}-${versions.size % 64}`;
      const result = await store.append(stream, batch(BATCH, 0), {
        expectedVersion: versions.get(stream) ?? 'no_stream',
      });
      versions.set(stream, result.nextExpectedVersion);
      return result.appended.length;
    };
    const server = () => serverCpu(dataSource, 'event-store-bench');
    // Warm both paths up (plans, pool, JIT) so neither pays for going first.
    await interleaved(2000, 2, 8, rawBatch, appendBatch);

    for (const writers of [1, 8]) {
      const [ceiling, appended] = await interleaved(
        PHASE_MS,
        10,
        writers,
        rawBatch,
        appendBatch,
        server,
      );
      console.log(
        `raw multi-row INSERT ceiling, ${writers} writer(s): ${fmt(ceiling.perSecond)} rows/s   (${cpu(ceiling)})`,
      );
      console.log(
        `append, batches of ${BATCH}, ${writers} writer(s): ${fmt(appended.perSecond)} events/s = ` +
          `${Math.round((100 * appended.perSecond) / ceiling.perSecond)}% of raw (goal >= 70%)${cpuRatio(appended, ceiling)}   (${cpu(appended)}; ${rssMb()})`,
      );
    }

    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const started = performance.now();
      await store.append('bench-latency', batch(1, i), {
        expectedVersion: i === 0 ? 'no_stream' : i,
      });
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const [p50, p99] = [percentile(latencies, 50), percentile(latencies, 99)];
    console.log(
      `single-event append latency (n=${LATENCY_SAMPLES}): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
    );

    await fill(dataSource, schema, appendBatch);
    const scans: (Rate & { rows: number })[] = [];
    const reads: (Rate & { rows: number })[] = [];
    // Twice each, alternating, best of two: other tenants of the machine come and go.
    for (let pass = 0; pass < 2; pass++) {
      scans.push(
        await withServerCpu(server, () =>
          rawScan(dataSource, schema, READ_PAGE),
        ),
      );
      reads.push(await withServerCpu(server, () => readWholeLog(store)));
    }
    const best = <T extends Rate>(rates: T[]): T =>
      rates.reduce((a, b) => (a.perSecond > b.perSecond ? a : b));
    const [scan, read] = [best(scans), best(reads)];
    console.log(
      `raw SELECT scan (keyset pages of ${READ_PAGE}, node-postgres defaults): ${fmt(scan.rows)} rows at ` +
        `${fmt(scan.perSecond)} rows/s, best of 2   (${cpu(scan)})`,
    );
    console.log(
      `readAll from START (pages of ${READ_PAGE}): ${fmt(read.rows)} events at ${fmt(read.perSecond)} events/s, best of 2 = ` +
        `${Math.round((100 * read.perSecond) / scan.perSecond)}% of raw scan (goal >= 150,000/s)   (${cpu(read)}; ${rssMb()})`,
    );
    console.log(`end: ${load()}`);
  } finally {
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  }
}

/** Tops the log up to READ_TARGET events with 8 batched writers; not measured. */
async function fill(
  dataSource: DataSource,
  schema: string,
  appendBatch: (w: number) => Promise<number>,
): Promise<void> {
  const [{ n }]: { n: number }[] = await dataSource.query(
    `SELECT count(*)::int AS n FROM "${schema}".events`,
  );
  let missing = READ_TARGET - n;
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      while (missing > 0) {
        missing -= BATCH;
        await appendBatch(w);
      }
    }),
  );
  await dataSource.query(`VACUUM ANALYZE "${schema}".events`);
}

async function readWholeLog(
  store: EventStore,
): Promise<Rate & { rows: number }> {
  const started = performance.now();
  const cpuAtStart = process.cpuUsage();
  let position = START;
  let rows = 0;
  for (;;) {
    const page = await store.readAll(position, { limit: READ_PAGE });
    if (page.events.length === 0) break;
    rows += page.events.length;
    position = page.position;
  }
  return { rows, ...rate(rows, started, cpuAtStart) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
