import { randomUUID } from 'node:crypto';
import type { Signal } from '@incident/contracts';
import { type LogFixture, logFixture } from '../int-support/log-fixture';
import { RecordedPipeline } from '../int-support/recorded-pipeline';
import type { ReplayResult } from './run-replay';

const T0 = '2025-03-04T09:00:00.000Z'; // "last Tuesday": event times in the past, recorded now
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

describe('incidentctl replay: the recorded signals decided again in a scratch schema', () => {
  let log: LogFixture;
  let pipeline: RecordedPipeline;
  const source = `gateway-${randomUUID().slice(0, 8)}`;
  let from: string;
  let to: string;
  let eventsInLog: number;
  beforeAll(async () => {
    log = await logFixture();
    pipeline = new RecordedPipeline(log.scratch.store, log.scratch.dataSource);
    from = new Date(Date.now() - 1000).toISOString();
    // Twelve 504s from the gateway (a timeout under v1, latency under v2), ten 429s, a traffic
    // sample at 60% errors, and the resolve-timer poller's tick two hours later in event time.
    for (let i = 0; i < 12; i++) await pipeline.signal(signal({ errorCode: 504, message: 'upstream: 504 Gateway Timeout', timestamp: at(i * 10), userId: `user-${i % 4}` }));
    for (let i = 0; i < 10; i++) await pipeline.signal(signal({ errorCode: 429, message: 'Rate limit exceeded', timestamp: at(200 + i), userId: `user-${i % 3}` }));
    await pipeline.traffic({ source, windowStart: at(240), windowEnd: at(300), requests: 100, errors: 60 });
    await pipeline.tick(at(3 * 3600));
    to = new Date(Date.now() + 1000).toISOString();
    eventsInLog = await countEvents();
  });
  afterAll(() => log.dispose());

  const replay = (...extra: string[]) => log.cli(['replay', '--from', from, '--to', to, '--source', source, ...extra], { env: { REPLAY_DATABASE_URL: log.scratch.adminUrl } });

  it('reproduces the recorded incidents under the recorded versions, reading the log as incident_reader and never writing to it', async () => {
    const run = await replay('--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = run.json<ReplayResult>();
    expect(result.comparison).toMatchObject({ identical: true, same: 2 });
    expect(result.inputs).toMatchObject({ signals: 22, trafficSamples: 1, timerTicks: 1, unclassified: 0 });
    expect(result.versions.recorded).toEqual({ ruleSets: ['classifier-rules/v1'], policies: ['correlation-policy/v1'] });
    expect(result.replayed.map((o) => [o.type, o.severity, o.status, o.signalCount, o.affectedUsers, o.classifiedBy, o.resolvedBy])).toEqual([
      ['rate_limit', 'SEV-2', 'resolved', 10, 3, 'rate-limit.http-429', 'resolve.quiet-period'],
      ['timeout', 'SEV-2', 'resolved', 12, 4, 'timeout.timed-out', 'resolve.quiet-period'],
    ]);
    expect(await countEvents()).toBe(eventsInLog);
    expect(await schemaExists(result.scratchSchema)).toBe(false);
  });

  it('shows, for rule set v2, the timeout incident that v2 would have opened as a performance one, and exits 0 (a what-if)', async () => {
    const run = await replay('--rules', 'classifier-rules/v2');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/classifier rules +classifier-rules\/v2 \(recorded: classifier-rules\/v1\)/);
    expect(run.stdout).toMatch(/DIFFERENT \(what-if\): 1 as recorded, 0 changed, 1 only recorded, 1 only in the replay/);
    expect(run.stdout).toMatch(new RegExp(`only recorded[^\\n]*\\n.*\\n.*\\n${source}\\|-\\|timeout #1 +SEV-2 +resolved +12 +4 `));
    expect(run.stdout).toMatch(new RegExp(`only in the replay[^\\n]*\\n.*\\n.*\\n${source}\\|-\\|performance #1 +SEV-2 +resolved +12 +4 .*performance\\.upstream-deadline`));
  });

  it('keeps the scratch schema when asked, and refuses an unknown version', async () => {
    const kept = (await replay('--keep', '--json')).json<ReplayResult>();
    expect(await schemaExists(kept.scratchSchema)).toBe(true);
    await log.scratch.admin.query(`DROP SCHEMA "${kept.scratchSchema}" CASCADE`);
    expect(await replay('--rules', 'classifier-rules/v9')).toMatchObject({ code: 2, stderr: expect.stringMatching(/neither a classifier rule set/) });
  });

  it('exits 1 naming the difference when the log holds a decision the recorded versions do not make', async () => {
    const [incident] = (await replay('--json')).json<ReplayResult>().recorded.filter((o) => o.type === 'rate_limit');
    await log.appendIncident(incident.incidentId, [{ type: 'SeverityChanged', data: { at: at(400), from: 'SEV-2', to: 'SEV-1', reason: 'forged', actor: 'correlation', basis: { rule: 'severity.production-down', policyVersion: 'correlation-policy/v1', inputs: {} } } }]);
    to = new Date(Date.now() + 1000).toISOString();
    const run = await replay();
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/DIFFERENT \(the replay under the recorded versions does not reproduce the log\)/);
    expect(run.stdout).toMatch(new RegExp(`${source}\\|-\\|rate_limit #1 +severity +SEV-1 +SEV-2`));
  });

  function signal(fields: Partial<Signal>): Signal & { id: string } {
    return { id: randomUUID(), source, level: 'ERROR', message: 'failure', ...fields };
  }

  async function countEvents(): Promise<number> {
    const [{ n }]: { n: number }[] = await log.scratch.admin.query(`SELECT count(*)::int AS n FROM ${log.s}.events`);
    return n;
  }

  async function schemaExists(schema: string): Promise<boolean> {
    const rows: unknown[] = await log.scratch.admin.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    return rows.length > 0;
  }
});
