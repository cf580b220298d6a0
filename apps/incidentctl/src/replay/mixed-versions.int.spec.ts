import { randomUUID } from 'node:crypto';
import { type LogFixture, logFixture } from '../int-support/log-fixture';
import { RecordedPipeline } from '../int-support/recorded-pipeline';
import type { IncidentOutcome } from './outcome';
import type { ReplayResult } from './run-replay';

const T0 = '2025-03-04T09:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

// Issue 5, item 2: SignalReceived and SignalClassified went from v1 (the publisher's userId) to v2
// (a pseudonym). A log holding both must replay, and fold, to what the same signals give in v2.
describe('a log holding SignalReceived/SignalClassified v1 and v2 replays to the same state as one all in v2', () => {
  let log: LogFixture;
  const mixed = `mixed-${randomUUID().slice(0, 8)}`;
  const allV2 = `v2only-${randomUUID().slice(0, 8)}`;
  let result: ReplayResult;
  beforeAll(async () => {
    log = await logFixture();
    const pipeline = new RecordedPipeline(log.scratch.store, log.scratch.dataSource);
    const from = new Date(Date.now() - 1000).toISOString();
    // The same twelve signals from two sources: one recorded half before the upgrade (v1, users
    // a-0..a-2 in plaintext) and half after (v2, users b-0..b-2 by pseudonym); the other all in v2.
    for (const source of [mixed, allV2]) {
      for (let i = 0; i < 12; i++) {
        const version = source === mixed && i < 6 ? 1 : 2;
        await pipeline.signal({ id: randomUUID(), source, level: 'ERROR', message: 'Rate limit exceeded', errorCode: 429, timestamp: at(i * 5), userId: `${i < 6 ? 'a' : 'b'}-${i % 3}` }, { version });
      }
    }
    await pipeline.tick(at(7200));
    const to = new Date(Date.now() + 1000).toISOString();
    const run = await log.cli(['replay', '--from', from, '--to', to, '--source', `${mixed},${allV2}`, '--json'], { env: { REPLAY_DATABASE_URL: log.scratch.adminUrl } });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    result = run.json<ReplayResult>();
  });
  afterAll(() => log.dispose());

  it('holds both versions of both events in the recorded log', async () => {
    const rows: { type: string; versions: number[] }[] = await log.scratch.admin.query(
      `SELECT type, array_agg(DISTINCT schema_version ORDER BY schema_version) AS versions FROM ${log.s}.events
        WHERE type IN ('SignalReceived', 'SignalClassified') AND (payload->'signal'->>'source' = $1 OR payload->>'source' = $1) GROUP BY type ORDER BY type`,
      [mixed],
    );
    expect(rows).toEqual([{ type: 'SignalClassified', versions: [1, 2] }, { type: 'SignalReceived', versions: [1, 2] }]);
  });

  it('reproduces the recorded incidents exactly, the v1 half read through the upcasters', () => {
    expect(result.comparison).toMatchObject({ identical: true, same: 2 });
  });

  it('gives the mixed log the incident the all-v2 log gives: same counts (6 users), severity, times and rules', () => {
    const of = (source: string) => result.replayed.find((o) => o.source === source) as IncidentOutcome;
    const { key: _k1, incidentId: _i1, fingerprint: _f1, source: _s1, ...mixedState } = of(mixed);
    const { key: _k2, incidentId: _i2, fingerprint: _f2, source: _s2, ...v2State } = of(allV2);
    expect(mixedState).toEqual(v2State);
    expect(mixedState).toMatchObject({ signalCount: 12, affectedUsers: 6, status: 'resolved' });
  });
});
