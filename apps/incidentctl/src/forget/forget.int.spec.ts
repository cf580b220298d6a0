import { randomUUID } from 'node:crypto';
import { type LogFixture, logFixture } from '../int-support/log-fixture';
import { RecordedPipeline } from '../int-support/recorded-pipeline';
import type { ReplayResult } from '../replay/run-replay';
import type { ForgetResult } from './forget';

const T0 = '2025-03-04T09:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(T0) + seconds * 1000).toISOString();

describe('incidentctl forget: personal data erased without touching the log', () => {
  let log: LogFixture;
  const source = `shop-${randomUUID().slice(0, 8)}`;
  const alice = `alice-${randomUUID().slice(0, 8)}@example.com`;
  const bob = `bob-${randomUUID().slice(0, 8)}@example.com`;
  let from: string;
  let to: string;
  let before: ReplayResult;
  beforeAll(async () => {
    log = await logFixture();
    const pipeline = new RecordedPipeline(log.scratch.store, log.scratch.dataSource);
    from = new Date(Date.now() - 1000).toISOString();
    // Bob's first signal was recorded before pseudonyms (v1); everything else since (v2).
    await pipeline.signal({ id: randomUUID(), source, message: 'Rate limit exceeded', errorCode: 429, timestamp: at(0), userId: bob }, { version: 1 });
    for (let i = 1; i < 12; i++) await pipeline.signal({ id: randomUUID(), source, message: 'Rate limit exceeded', errorCode: 429, timestamp: at(i), userId: [alice, bob, 'carol'][i % 3] });
    to = new Date(Date.now() + 1000).toISOString();
    before = (await replay()).json<ReplayResult>();
  });
  afterAll(() => log.dispose());

  const replay = () => log.cli(['replay', '--from', from, '--to', to, '--source', source, '--json'], { env: { REPLAY_DATABASE_URL: log.scratch.adminUrl } });
  const admin = () => ({ env: { DATABASE_URL: log.scratch.adminUrl } });

  it('refuses the services\' and the auditors\' roles (exit 2): only the owner may erase', async () => {
    for (const role of ['incident_reader', 'incident_app']) {
      const run = await log.cli(['forget', alice], { role });
      expect({ role, code: run.code }).toEqual({ role, code: 2 });
      expect(run.stderr).toMatch(/forget deletes personal data: connect as the owner/);
    }
  });

  it('erases the subject, leaves verify green, and leaves no trace of the id in the log or what the CLI shows', async () => {
    const [ref] = await refsOf(alice);
    const run = await log.cli(['forget', alice, '--json'], admin());
    expect(run.code).toBe(0);
    expect(run.json<ForgetResult>()).toEqual({ erased: true, userRef: ref, subjectSince: expect.any(String), eventsWithPseudonym: expect.any(Number), eventsWithPlaintext: 0 });
    expect(run.json<ForgetResult>().eventsWithPseudonym).toBeGreaterThan(0);
    expect(await refsOf(alice)).toEqual([]);
    expect(await log.cli(['verify'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^OK: every event checked is as it was appended$/m) });
    const [{ n }]: { n: number }[] = await log.scratch.admin.query(`SELECT count(*)::int AS n FROM ${log.s}.events WHERE payload::text LIKE $1 OR metadata::text LIKE $1`, [`%${alice}%`]);
    expect(n).toBe(0);
    const incident = before.recorded[0].incidentId;
    for (const args of [['incidents', 'show', incident, '--json'], ['export', incident, '--format', 'jsonl'], ['timeline', incident]]) {
      const shown = await log.cli(args);
      expect(shown.code).toBe(0);
      expect(shown.stdout).not.toContain(alice);
    }
    expect((await log.cli(['export', incident, '--format', 'jsonl'])).stdout).toContain(ref);
  });

  it('replays to the same incident afterwards: the pseudonyms are still counted as distinct users', async () => {
    const after = (await replay()).json<ReplayResult>();
    expect(after.comparison.identical).toBe(true);
    expect(after.replayed.map((o) => [o.signalCount, o.affectedUsers])).toEqual(before.replayed.map((o) => [o.signalCount, o.affectedUsers]));
    expect(after.replayed[0]).toMatchObject({ signalCount: 12, affectedUsers: 4 });
  });

  it('exits 1 when nothing is held any more, and warns about events that hold an id in plaintext from before pseudonyms', async () => {
    expect(await log.cli(['forget', alice], admin())).toMatchObject({ code: 1, stdout: expect.stringMatching(/nothing: no personal data held/) });
    const run = await log.cli(['forget', bob], admin());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/warning +\d+ events recorded before pseudonyms \(v1\) hold this user id in plaintext/);
    expect(await log.cli(['verify'])).toMatchObject({ code: 0 });
  });

  async function refsOf(subject: string): Promise<string[]> {
    const rows: { user_ref: string }[] = await log.scratch.admin.query(`SELECT user_ref FROM ${log.s}.personal_data WHERE subject = $1`, [subject]);
    return rows.map((r) => r.user_ref);
  }
});
