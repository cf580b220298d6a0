// npm run bench:rebuild   (DATABASE_URL = an admin URL; default: the local server)
// One run, one scratch schema: fills the log with BENCH_INCIDENTS incidents x BENCH_SIGNALS
// SignalAttached (default 2,000 x 500 = one million events, plus the openings) through batched
// EventStore.append, then times `incidentctl projections rebuild` (bin/incidentctl.js: the webpack
// build if there is one, else the source through tsx) as incident_app, next to a raw ceiling: a
// plain keyset SELECT scan of the same rows in the same order, no projection logic, no writes.
// Prints events/s (goal >= 50,000/s), the CLI's peak RSS, and drops the schema at the end.
// BENCH_REBUILD_BATCH=n passes --batch-size n (default: the command's own); BENCH_VERIFY=1 also times
// `incidentctl verify` over the same million events.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { EventStore, type NewEvent, createDataSource, ensureDatabase, ensureRoles, runMigrations } from '../../libs/event-store/src';

const URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/incidents';
const INCIDENTS = Number(process.env['BENCH_INCIDENTS'] ?? 2000);
const SIGNALS = Number(process.env['BENCH_SIGNALS'] ?? 500);
const APPEND_BATCH = 250;
const WRITERS = 8;
const SCAN_PAGE = 5000;
/** Passed on as --batch-size when set; otherwise the command's default. */
const REBUILD_BATCH = process.env['BENCH_REBUILD_BATCH'];
/** BENCH_VERIFY=1 also times `incidentctl verify` over the same log. */
const VERIFY = process.env['BENCH_VERIFY'] === '1';
const ROOT = join(__dirname, '..', '..');

async function main(): Promise<void> {
  await ensureDatabase(URL);
  await ensureRoles(URL);
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  await runMigrations({ databaseUrl: URL, schema });
  const dataSource = await createDataSource(URL, { schema, poolSize: WRITERS + 2, applicationName: 'rebuild-bench' }).initialize();
  try {
    const [{ version }] = await dataSource.query(`SELECT current_setting('server_version') AS version`);
    console.log(`projections rebuild bench: schema ${schema}, PostgreSQL ${version}, Node ${process.version}`);
    const filled = await fill(new EventStore(dataSource));
    await dataSource.query(`VACUUM ANALYZE "${schema}".events`);
    const scans = [await rawScan(schema), await rawScan(schema)];
    const scan = scans.reduce((a, b) => (a.perSecond > b.perSecond ? a : b));
    console.log(`raw ceiling, SELECT * keyset scan in (transaction_id, global_position) order, pages of ${fmt(SCAN_PAGE)}: ${fmt(scan.rows)} rows at ${fmt(scan.perSecond)} rows/s (best of 2)`);
    const rebuild = await rebuildWithCli(schema);
    const r = rebuild.result;
    console.log(
      `projections rebuild incidents: ${fmt(r.eventsRead)} events in ${r.seconds.toFixed(1)} s = ${fmt(r.eventsPerSecond)} events/s ` +
        `(${Math.round((100 * r.eventsPerSecond) / scan.perSecond)}% of the raw scan; goal >= 50,000/s); ` +
        `${fmt(r.incidents)} incidents, log has ${fmt(r.incidentsInLog)} (${r.matches ? 'match' : 'MISMATCH'}); exit ${rebuild.code}`,
    );
    console.log(`incidentctl process: ${rebuild.wallSeconds.toFixed(1)} s wall including start-up, peak RSS ${Math.round(rebuild.peakRssKb / 1024)} MiB`);
    if (r.eventsRead !== filled) console.log(`NOTE: the log holds ${fmt(filled)} events but the rebuild read ${fmt(r.eventsRead)}`);
    if (VERIFY) {
      const verified = await incidentctl(schema, 'incident_reader', ['verify', '--json']);
      console.log(`incidentctl verify (hash chains + global sequence, as incident_reader): exit ${verified.code}, ${verified.wallSeconds.toFixed(1)} s = ${fmt(filled / verified.wallSeconds)} events/s, peak RSS ${Math.round(verified.peakRssKb / 1024)} MiB`);
    }
  } finally {
    await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
    await dataSource.destroy();
  }
}

/** INCIDENTS streams, each an IncidentOpened then SIGNALS SignalAttached, appended in batches by WRITERS writers. */
async function fill(store: EventStore): Promise<number> {
  const started = performance.now();
  let next = 0;
  let written = 0;
  const writer = async () => {
    while (next < INCIDENTS) {
      const i = next++;
      const id = randomUUID();
      const stream = `incident-${id}`;
      const events: NewEvent[] = [opened(id, i), ...Array.from({ length: SIGNALS }, (_, j) => signal(i, j))];
      let expected = 0;
      for (let k = 0; k < events.length; k += APPEND_BATCH) {
        const result = await store.append(stream, events.slice(k, k + APPEND_BATCH), { expectedVersion: expected === 0 ? 'no_stream' : expected });
        expected = result.nextExpectedVersion;
      }
      written += events.length;
      if (i % 200 === 199) process.stderr.write(`filling: ${fmt(written)} events\n`);
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
  const seconds = (performance.now() - started) / 1000;
  console.log(`filled: ${fmt(INCIDENTS)} incidents x ${fmt(SIGNALS)} SignalAttached = ${fmt(written)} events in ${seconds.toFixed(0)} s (batched appends of ${APPEND_BATCH}, ${WRITERS} writers)`);
  return written;
}

const T0 = Date.parse('2025-03-01T10:00:00.000Z');

function opened(id: string, i: number): NewEvent {
  const at = new Date(T0 + i * 60_000).toISOString();
  return {
    id: randomUUID(), type: 'IncidentOpened', schemaVersion: 1, occurredAt: new Date(at), metadata: { actor: 'correlation' },
    payload: {
      incidentId: id, at, fingerprint: `svc-${i % 40}|payment|timeout`, incidentType: 'timeout', source: `svc-${i % 40}`, title: `timeout in svc-${i % 40}/payment`, severity: 'SEV-3',
      basis: { rule: 'open.failure-count', policyVersion: 'correlation-policy/v1', inputs: { failuresInWindow: 10, windowMs: 300000 } },
      classification: { type: 'timeout', fingerprint: `svc-${i % 40}|payment|timeout`, source: `svc-${i % 40}`, ruleId: 'timeout.etimedout', ruleSetVersion: 'classifier-rules/v1' },
    },
  };
}

function signal(i: number, j: number): NewEvent {
  const at = new Date(T0 + i * 60_000 + j * 1000).toISOString();
  return {
    id: randomUUID(), type: 'SignalAttached', schemaVersion: 1, occurredAt: new Date(at), metadata: { actor: 'correlation' },
    payload: { signalId: randomUUID(), at, bucket: `${at.slice(0, 15)}0:00.000Z`, level: 'ERROR', component: 'payment', errorCode: 'ETIMEDOUT', userId: `u-${j % 97}` },
  };
}

/** The ceiling: the same rows, same order, same page size, parsed by node-postgres defaults, nothing else done. */
async function rawScan(schema: string): Promise<{ rows: number; perSecond: number }> {
  const client = new Client({ connectionString: URL });
  await client.connect();
  try {
    const started = performance.now();
    let rows = 0;
    let after: [string, string] = ['0', '0'];
    for (;;) {
      const page = await client.query(
        `SELECT * FROM "${schema}".events WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) ORDER BY transaction_id, global_position LIMIT $3`,
        [after[0], after[1], SCAN_PAGE],
      );
      rows += page.rows.length;
      if (page.rows.length < SCAN_PAGE) break;
      const last = page.rows[page.rows.length - 1];
      after = [String(last.transaction_id), String(last.global_position)];
    }
    return { rows, perSecond: Math.round(rows / ((performance.now() - started) / 1000)) };
  } finally {
    await client.end();
  }
}

interface RebuildJson {
  eventsRead: number;
  incidents: number;
  incidentsInLog: number;
  seconds: number;
  eventsPerSecond: number;
  matches: boolean;
}

/** The command as an operator runs it, in its own process, its peak RSS read from /proc while it runs. */
function incidentctl(schema: string, role: string, args: string[]): Promise<{ code: number | null; stdout: string; wallSeconds: number; peakRssKb: number }> {
  const roleUrl = new globalThis.URL(URL);
  roleUrl.username = role;
  roleUrl.password = '';
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'incidentctl.js'), ...args], {
    env: { ...process.env, DATABASE_URL: roleUrl.toString(), EVENT_LOG_SCHEMA: schema },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  let peakRssKb = 0;
  const sample = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakRssKb = Math.max(peakRssKb, Number(hwm[1]));
    } catch {
      // gone already
    }
  }, 100);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(sample);
      resolve({ code, stdout, wallSeconds: (performance.now() - started) / 1000, peakRssKb });
    });
  });
}

async function rebuildWithCli(schema: string): Promise<{ code: number | null; result: RebuildJson; wallSeconds: number; peakRssKb: number }> {
  const run = await incidentctl(schema, 'incident_app', ['projections', 'rebuild', '--json', ...(REBUILD_BATCH ? ['--batch-size', REBUILD_BATCH] : [])]);
  try {
    return { ...run, result: JSON.parse(run.stdout) as RebuildJson };
  } catch (error) {
    throw new Error(`incidentctl exited ${run.code} with unreadable output: ${run.stdout.slice(0, 500)} (${String(error)})`);
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
