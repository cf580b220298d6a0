import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { queryCount } from './support/log';
import { api, eventually, incidentsOf, sendSignals, stack, uniqueSource } from './support/stack';

// Issue 5 acceptance, through the running stack: `incidentctl replay` reproduces the incidents
// the services recorded under the recorded rule versions, shows what classifier rules v2 would
// have made of the same signals, and `incidentctl forget` erases a user without breaking either
// `verify` or the replay.
describe('incidentctl replay and forget over what the running services recorded', () => {
  const source = uniqueSource('replay-gw');
  const alice = `alice-${source}@example.com`;
  const users = [alice, `bob-${source}@example.com`, `carol-${source}@example.com`];
  // Two hours ago in event time: the quiet period has passed, so the resolve timers recorded with
  // the incidents are due at once and fire on the correlation service's next poll.
  const t = Date.now() - 2 * 3_600_000;
  const at = (s: number) => new Date(t + s * 1_000).toISOString();
  let from: string;
  let to: string;

  beforeAll(async () => {
    from = new Date(Date.now() - 1_000).toISOString();
    // A gateway's 504s (timeout under rules v1, performance under v2) and its 429s.
    await sendSignals(Array.from({ length: 12 }, (_, i) => ({ id: `${source}-504-${i}`, source, level: 'ERROR', message: 'upstream: 504 Gateway Timeout', errorCode: 504, timestamp: at(i * 10), userId: users[i % 3] })));
    await sendSignals(Array.from({ length: 10 }, (_, i) => ({ id: `${source}-429-${i}`, source, level: 'ERROR', message: 'Rate limit exceeded', errorCode: 429, timestamp: at(300 + i), userId: users[i % 2] })));
    await eventually(async () => {
      const classified = await queryCount(`SELECT count(*)::int AS n FROM events WHERE type = 'SignalClassified' AND payload->>'source' = $1`, [source]);
      const incidents = await incidentsOf(source);
      const settled = classified === 22 && incidents.length >= 2 && incidents.every((i) => i.status === 'resolved');
      return settled ? true : undefined;
    }, 90_000, 'the 22 signals classified and their incidents opened and resolved');
    await new Promise((r) => setTimeout(r, 2_000)); // anything still in flight lands before the window closes
    to = new Date().toISOString();
  });

  it('reproduces the recorded incidents exactly under the recorded rule and policy versions', async () => {
    const run = await incidentctl(['replay', '--from', from, '--to', to, '--source', source, '--json']);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.versions.recorded).toEqual({ ruleSets: ['classifier-rules/v1'], policies: ['correlation-policy/v1'] });
    expect(result.inputs).toMatchObject({ signals: 22, unclassified: 0 });
    expect(result.comparison).toMatchObject({ identical: true });
    expect(result.replayed.map((o: { type: string }) => o.type).sort()).toEqual(expect.arrayContaining(['rate_limit', 'timeout']));
  });

  it('shows what classifier rules v2 would have done: the 504s as a performance incident instead of a timeout one (exit 0)', async () => {
    const run = await incidentctl(['replay', '--from', from, '--to', to, '--source', source, '--rules', 'classifier-rules/v2']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/DIFFERENT \(what-if\)/);
    expect(run.stdout).toMatch(new RegExp(`only recorded[\\s\\S]*${source}\\|-\\|timeout #1`));
    expect(run.stdout).toMatch(new RegExp(`only in the replay[\\s\\S]*${source}\\|-\\|performance #1 .*performance\\.upstream-deadline`));
  });

  it('names users only by pseudonym; forget erases one, verify stays green and the replay counts the same users', async () => {
    const incidents = await incidentsOf(source);
    const history = async () => JSON.stringify((await api('GET', `/v1/incidents/${incidents[0].id}/events?limit=5000`)).body);
    const before = await history();
    expect(before).toMatch(/usr_[0-9a-f]{32}/);
    for (const user of users) expect(before).not.toContain(user);
    const replayed = JSON.parse((await incidentctl(['replay', '--from', from, '--to', to, '--source', source, '--json'])).stdout).replayed;

    const forgot = await incidentctl(['forget', alice, '--json']);
    expect(forgot.code).toBe(0);
    expect(JSON.parse(forgot.stdout)).toMatchObject({ erased: true, userRef: expect.stringMatching(/^usr_/), eventsWithPlaintext: 0 });
    expect(await queryCount('SELECT count(*)::int AS n FROM personal_data WHERE subject = $1', [alice])).toBe(0);
    expect(await queryCount('SELECT count(*)::int AS n FROM events WHERE payload::text LIKE $1', [`%${alice}%`])).toBe(0);
    expect(await incidentctl(['verify'])).toMatchObject({ code: 0 });
    expect(await history()).toBe(before);

    const again = await incidentctl(['replay', '--from', from, '--to', to, '--source', source, '--json']);
    expect(again.code).toBe(0);
    const after = JSON.parse(again.stdout);
    expect(after.comparison.identical).toBe(true);
    const counts = (list: { key: string; signalCount: number; affectedUsers: number }[]) => list.map((o) => [o.key, o.signalCount, o.affectedUsers]);
    expect(counts(after.replayed)).toEqual(counts(replayed));
  });
});

/** `node bin/incidentctl.js …` against the e2e stack's log, as its admin (replay's scratch schema and forget need it). */
function incidentctl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const s = stack();
  const root = join(__dirname, '../../..');
  return new Promise((resolve, reject) => {
    // From source: the tier builds the services, not the CLI, and a stale build must not answer here.
    const child = spawn(process.execPath, [join(root, 'bin', 'incidentctl.js'), ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', DATABASE_URL: s.adminUrl, EVENT_LOG_SCHEMA: s.schema, INCIDENTCTL_FROM_SOURCE: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
