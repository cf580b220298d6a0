// npm run bench   (needs `npm run infra:up`; builds nothing: run `npx nx run-many -t build` first)
// One run, the whole stack as processes in a scratch schema. Prints:
//   raw ceilings:   kafkajs produce+consume alone; the event log's appends alone; the relay alone
//   sustained:      signals/s accepted (202) and carried through to incident state
//   latency:        p50/p99 from the 202 to the signal being counted on its incident, at 1,000/s
//   memory:         each service's peak resident set size
//   CPU:            per 1,000 signals carried through, per service and their database backends
// BENCH_CPU_PROF=1 also writes each service's CPU profile (see profileOptions).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { appDatabaseUrl, newAdminKey, readInfraEnv, root, startServices, stopServices } from '../stack/stack.mjs';
import { createDataSource, runMigrations } from '../../libs/event-store/src';
import { loadMessagingConfig } from '../../libs/messaging/src';
import { AttachedSignals } from './attached-signals';
import { appendCeiling, appendManyCeiling, kafkaCeiling, relayCeiling } from './pipeline-ceilings';
import { drainBacklog, groupMembers } from './pipeline-groups';
import { fmt, percentile } from './event-store-support';
import { type BackendCpu, cpuBetween, serverCpu } from './server-cpu';

const infra = readInfraEnv();
const ADMIN_URL = process.env['DATABASE_URL'] ?? infra['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/incidents';
const BROKERS = process.env['KAFKA_BROKERS'] ?? infra['KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const SUSTAIN_MS = Number(process.env['BENCH_SUSTAIN_MS'] ?? 20_000);
// The services' page size (RELAY_BATCH_SIZE, libs/messaging's config and default), so the relay
// ceiling is measured the way the relay in ingest runs.
const RELAY_BATCH_SIZE = loadMessagingConfig({ ...process.env, KAFKA_BROKERS: BROKERS }).relay.batchSize;
const STEADY_MS = Number(process.env['BENCH_STEADY_MS'] ?? 20_000);
// Every service of the stack on a port of the bench's own, so that a stack already running (npm
// start) cannot make one of them fail to listen.
const PORTS = { ingest: 28080, classifier: 28081, correlation: 28082, remediation: 28083, postmortem: 28084 };
// Qualified in every query: the admin connection's search_path does not include the scratch schema.
const SCHEMA = `bench_${randomBytes(4).toString('hex')}`;
const EVENTS = `"${SCHEMA}".events`;

async function main(): Promise<void> {
  const schema = SCHEMA;
  await runMigrations({ databaseUrl: ADMIN_URL, schema });
  const admin = await createDataSource(ADMIN_URL, { schema, poolSize: 4, applicationName: 'bench' }).initialize();
  const adminKey = newAdminKey();
  console.log(`scratch schema ${schema}; brokers ${BROKERS}`);
  try {
    console.log('\n== raw ceilings (same run) ==');
    const kafka = await kafkaCeiling(BROKERS.split(','), 50_000);
    console.log(`kafkajs produce+consume alone: ${fmt(kafka)} messages/s (50,000 x ~300 B, 6 partitions)`);
    const [append, appendMany, relay] = await appendCeilingsApart(10_000);
    // Not a ceiling of the pipeline: one append() round trip per signal, the path ingest took before
    // it appended a request with one appendMany. Kept as the per-call cost next to the batched one.
    console.log(`event log append() per signal alone: ${fmt(append)} signals/s (1,000 calls, one round trip each, per transaction, 4 writers)`);
    console.log(`event log appendMany alone: ${fmt(appendMany)} signals/s (1,000 streams per call and transaction, 4 writers)`);
    console.log(`relay alone: ${fmt(relay.perSecond)} events/s (the ${fmt(relay.events)} events above, log -> Kafka, batches of ${RELAY_BATCH_SIZE})`);
    console.log(`the pipeline's durable work alone: ${fmt(durableCeiling({ appendMany, relay: relay.perSecond }))} signals/s (${DURABLE_WORK.describe}, at the rates above)`);

    const env = {
      ...process.env, NODE_ENV: 'test', DATABASE_URL: appDatabaseUrl(ADMIN_URL), EVENT_LOG_SCHEMA: schema,
      KAFKA_BROKERS: BROKERS, INCIDENT_ADMIN_KEY: adminKey, SIGNAL_RATE_PER_SECOND: '1000000', SIGNAL_RATE_BURST: '1000000',
      // The heap cap the deployment runs with (under its 256Mi limit): without it V8 sizes the heap
      // for this machine's 24 GB and collects lazily, and peak RSS says little about the limit.
      NODE_OPTIONS: [deployedNodeOptions(), profileOptions(schema)].filter(Boolean).join(' '),
    };
    console.log(`services run with NODE_OPTIONS=${env.NODE_OPTIONS} (deploy/base/platform/config.env)`);
    const services = await startServices({ env, logDir: `.cache/bench/${schema}`, ports: PORTS });
    const memory = watchMemory();
    try {
      const drained = await drainBacklog(BROKERS.split(','), 300_000);
      if (drained.initial > 0) console.log(`\n(worked off ${fmt(drained.initial - drained.left)} messages earlier runs left in the groups before measuring; ${fmt(drained.left)} left)`);
      const members = await groupMembers(BROKERS.split(','));
      const shared = Object.entries(members).filter(([, n]) => n > 1);
      if (shared.length > 0) console.log(`WARNING: another stack consumes in ${shared.map(([g, n]) => `${g} (${n} members)`).join(', ')}: it takes partitions, and this run's messages with them`);
      const attached = new AttachedSignals(admin, schema);
      await sustained(adminKey, admin, attached, services);
      await steady(adminKey, admin, attached);
    } finally {
      memory.stop();
      console.log('\n== peak memory (RSS) ==');
      for (const [name, bytes] of Object.entries(memory.peaks)) console.log(`${name}: ${Math.round(bytes / 2 ** 20)} MiB`);
      await stopServices(services);
    }
  } finally {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.destroy();
  }
}

/**
 * In a schema of its own: the services' relay refuses event types it has no topic for, so bench
 * events in the services' schema would stall the relay and nothing would reach incident state.
 */
async function appendCeilingsApart(total: number): Promise<[number, number, { events: number; perSecond: number }]> {
  const schema = `${SCHEMA}_append`;
  await runMigrations({ databaseUrl: ADMIN_URL, schema });
  const ds = await createDataSource(ADMIN_URL, { schema, poolSize: 4, applicationName: 'bench-append' }).initialize();
  try {
    return [await appendCeiling(ds, total), await appendManyCeiling(ds, total), await relayCeiling(ds, BROKERS.split(','), RELAY_BATCH_SIZE)];
  } finally {
    await ds.query(`DROP SCHEMA "${schema}" CASCADE`);
    await ds.destroy();
  }
}

/**
 * What every signal costs the log and the broker, whatever the services do with it: appended three
 * times (SignalReceived by ingest, SignalClassified by the classifier, SignalAttached by
 * correlation) and relayed twice (the first two; SignalAttached stays in the log). Each ceiling
 * above keeps the whole machine busy, so the seconds per signal add up; consuming the two
 * messages, parsing, classifying and correlating come on top, so the pipeline stays below this.
 */
const DURABLE_WORK = { appends: 3, relayed: 2, describe: '3 appends and 2 relayed per signal, before anything consumes them' };

function durableCeiling(rates: { appendMany: number; relay: number }): number {
  return 1 / (DURABLE_WORK.appends / rates.appendMany + DURABLE_WORK.relayed / rates.relay);
}

function deployedNodeOptions(): string {
  const config = readFileSync(join(root, 'deploy/base/platform/config.env'), 'utf8');
  return /^NODE_OPTIONS=(.*)$/m.exec(config)?.[1]?.trim() ?? '';
}

/** BENCH_CPU_PROF=1: each service writes a .cpuprofile at exit (open in Chrome DevTools). */
function profileOptions(schema: string): string {
  if (!process.env['BENCH_CPU_PROF']) return '';
  const dir = join(root, '.cache', 'bench', schema, 'profiles');
  console.log(`CPU profiles of the services go to ${dir}`);
  return `--cpu-prof --cpu-prof-dir=${dir}`;
}

async function sustained(key: string, admin: DataSource, attached: AttachedSignals, services: { name: string; child: { pid?: number } }[]): Promise<void> {
  console.log(`\n== sustained: 4 clients posting batches of 1,000 for ${SUSTAIN_MS / 1000} s ==`);
  const run = randomBytes(3).toString('hex');
  const cpuBefore = await stackCpu(admin, services);
  const started = performance.now();
  let accepted = 0;
  let refused = 0;
  await Promise.all(
    Array.from({ length: 4 }, async (_, client) => {
      for (let batch = 0; performance.now() - started < SUSTAIN_MS; batch++) {
        const signals = Array.from({ length: 1_000 }, (_, i) => signal(`s-${run}-${client}-${batch}-${i}`, `bench-${run}-${i % 20}`));
        // A 503 stored nothing: do what a publisher does, wait Retry-After and send the batch again.
        for (let answer = await post(key, signals); ; answer = await post(key, signals)) {
          if (answer.retryAfterSeconds === undefined) {
            // Duplicates of a resend: the refused attempt committed after its answer, stored once.
            accepted += answer.accepted + answer.duplicates;
            break;
          }
          refused += 1;
          await sleep(answer.retryAfterSeconds * 1000);
        }
      }
    }),
  );
  const postSeconds = (performance.now() - started) / 1000;
  console.log(`accepted: ${fmt(accepted / postSeconds)} signals/s (${fmt(accepted)} in ${postSeconds.toFixed(1)} s; ${refused} requests answered 503 and resent)`);
  const counted = await waitCounted(admin, attached, `s-${run}-%`, accepted, 300_000);
  const throughSeconds = (performance.now() - started) / 1000;
  console.log(`carried through to incident state: ${fmt(counted / throughSeconds)} signals/s (${fmt(counted)} counted after ${throughSeconds.toFixed(1)} s)`);
  const cpuAfter = await stackCpu(admin, services);
  const perThousand = (micros: number) => `${Math.round(micros / 1000 / (counted / 1000))} ms`;
  const used = [...cpuAfter.processes].map(([name, micros]) => `${name} ${perThousand(micros - (cpuBefore.processes.get(name) ?? 0))}`);
  used.push(`their PostgreSQL backends ${perThousand(cpuBetween(cpuBefore.database, cpuAfter.database))}`);
  console.log(`CPU per 1,000 signals carried through (steadier than rates on a shared machine): ${used.join(', ')}`);
  console.log(`messages per consumer transaction, on average over the run: ${(await batchSizes()).join(', ')}`);
}

/** From each consumer's messaging_consumer_batch_messages histogram (sum / count), per group and topic. */
async function batchSizes(): Promise<string[]> {
  const out: string[] = [];
  for (const name of ['classifier', 'correlation', 'remediation', 'postmortem'] as const) {
    const text = await (await fetch(`http://127.0.0.1:${PORTS[name]}/metrics`)).text();
    const sums = new Map<string, number>();
    for (const [, kind, labels, value] of text.matchAll(/^messaging_consumer_batch_messages_(sum|count)\{([^}]*)\} (\S+)$/gm)) {
      const key = `${labels}|${kind}`;
      sums.set(key, (sums.get(key) ?? 0) + Number(value));
    }
    for (const [key, sum] of sums) {
      if (!key.endsWith('|sum')) continue;
      const count = sums.get(key.replace(/\|sum$/, '|count')) ?? 0;
      const topic = /topic="([^"]*)"/.exec(key)?.[1];
      if (count > 0) out.push(`${name} ${topic} ${(sum / count).toFixed(0)} (${fmt(count)} transactions)`);
    }
  }
  return out;
}

/**
 * CPU microseconds used so far by each service process and by the database backends they opened
 * (application_name = service name), read from /proc; pg backends that came and went in between
 * are missed (see cpuBetween), so the database figure is a lower bound.
 */
async function stackCpu(admin: DataSource, services: { name: string; child: { pid?: number } }[]): Promise<{ processes: Map<string, number>; database: BackendCpu }> {
  const processes = new Map<string, number>();
  for (const s of services) processes.set(s.name, processCpu(s.child.pid) ?? 0);
  const database: BackendCpu = new Map();
  for (const s of services) for (const [pid, micros] of (await serverCpu(admin, s.name)) ?? []) database.set(pid, micros);
  return { processes, database };
}

function processCpu(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000; // USER_HZ = 100
  } catch {
    return undefined;
  }
}

async function steady(key: string, admin: DataSource, attached: AttachedSignals): Promise<void> {
  console.log(`\n== latency at a steady 1,000 signals/s for ${STEADY_MS / 1000} s (100 every 100 ms) ==`);
  const run = randomBytes(3).toString('hex');
  const ackedAt = new Map<string, number>();
  const started = Date.now();
  const inFlight: Promise<void>[] = [];
  let refused = 0;
  for (let tick = 0; Date.now() - started < STEADY_MS; tick++) {
    const signals = Array.from({ length: 100 }, (_, i) => signal(`l-${run}-${tick}-${i}`, `steady-${run}-${i % 10}`));
    inFlight.push(
      post(key, signals).then((answer) => {
        if (answer.retryAfterSeconds !== undefined) refused += 1;
        else signals.forEach((s) => ackedAt.set(s.id, Date.now()));
      }),
    );
    await sleep(Math.max(0, started + (tick + 1) * 100 - Date.now()));
  }
  await Promise.all(inFlight);
  if (refused > 0) console.log(`  (${refused} requests answered 503: not resent, not in the latencies)`);
  await waitCounted(admin, attached, `l-${run}-%`, ackedAt.size, 120_000);
  const bySignal = await signalIdsOf(admin, `l-${run}-%`);
  const rows: { signal_id: string; counted_ms: string }[] = await admin.query(
    `SELECT payload->>'signalId' AS signal_id, (extract(epoch FROM min(recorded_at)) * 1000)::bigint AS counted_ms
       FROM ${EVENTS} WHERE type = 'SignalAttached' AND payload->>'signalId' = ANY($1) GROUP BY 1`,
    [[...bySignal.keys()]],
  );
  const latencies = rows
    .map((r) => Number(r.counted_ms) - (ackedAt.get(bySignal.get(r.signal_id) as string) ?? NaN))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  console.log(`202 -> counted on its incident: p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms over ${fmt(latencies.length)} signals`);
}

/** The log's signalId (derived) -> the publisher's id, for the run's signals. */
async function signalIdsOf(admin: DataSource, pattern: string): Promise<Map<string, string>> {
  const rows: { signal_id: string; publisher_id: string }[] = await admin.query(
    `SELECT payload->>'signalId' AS signal_id, payload->'signal'->>'id' AS publisher_id FROM ${EVENTS}
      WHERE type = 'SignalReceived' AND payload->'signal'->>'id' LIKE $1`,
    [pattern],
  );
  return new Map(rows.map((r) => [r.signal_id, r.publisher_id]));
}

async function waitCounted(admin: DataSource, attached: AttachedSignals, pattern: string, expected: number, timeoutMs: number): Promise<number> {
  const ids = [...(await signalIdsOf(admin, pattern)).keys()];
  const deadline = Date.now() + timeoutMs;
  let counted = 0;
  while (Date.now() < deadline) {
    counted = await attached.countOf(ids);
    if (counted >= expected) return counted;
    await sleep(500);
  }
  console.log(`  (only ${fmt(counted)} of ${fmt(expected)} counted within ${timeoutMs / 1000} s)`);
  return counted;
}

function signal(id: string, source: string) {
  return { id, source, component: 'agent:code-review', level: 'ERROR', message: 'Rate limit exceeded', errorCode: 429, userId: `u-${id.length % 97}` };
}

/** A 503 (the log could not commit in time; nothing stored) comes back as its Retry-After. */
async function post(key: string, signals: unknown[]): Promise<{ accepted: number; duplicates: number; retryAfterSeconds?: number }> {
  const res = await fetch(`http://127.0.0.1:${PORTS.ingest}/v1/signals`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(signals),
  });
  if (res.status === 503) {
    await res.text();
    return { accepted: 0, duplicates: 0, retryAfterSeconds: Number(res.headers.get('retry-after') ?? 1) };
  }
  if (res.status !== 202) throw new Error(`POST /v1/signals: ${res.status} ${await res.text()}`);
  return (await res.json()) as { accepted: number; duplicates: number };
}

function watchMemory() {
  const peaks: Record<string, number> = {};
  const timer = setInterval(async () => {
    for (const [name, port] of Object.entries(PORTS)) {
      try {
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const rss = Number(/^process_resident_memory_bytes(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
        peaks[name] = Math.max(peaks[name] ?? 0, rss);
      } catch {
        // a service between restarts: keep the last peak
      }
    }
  }, 500);
  return { peaks, stop: () => clearInterval(timer) };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
