import { randomUUID } from 'node:crypto';
import { type LogFixture, logFixture, sleep } from '../int-support/log-fixture';
import { incidentEvents as ev, minutesAfter, T0 } from '../testing/stored-events';
import type { RebuildResult } from './rebuild';

describe('projections rebuild: the incidents read model, dropped and rebuilt from the log', () => {
  let log: LogFixture;
  beforeAll(async () => {
    log = await logFixture();
    for (let i = 0; i < 7; i++) {
      const id = randomUUID();
      const signals = Array.from({ length: 20 + i }, (_, j) => ev.signal(minutesAfter(T0, j + 1), `u-${j % 5}`));
      await log.appendIncident(id, [ev.opened(id, { at: minutesAfter(T0, i) }), ...signals]);
      if (i % 2 === 0) await log.appendIncident(id, [ev.resolved(minutesAfter(T0, 90))]);
    }
    await log.appendSignals(10);
  });
  afterAll(() => log.dispose());

  it('ends with as many incidents in the read model as the log holds, having read every event, in small batches too', async () => {
    // A stale row that the log knows nothing of: a rebuild must drop it.
    await log.scratch.admin.query(
      `INSERT INTO ${log.s}.incidents (id, title, type, source, fingerprint, status, severity, opened_at, signal_count, affected_users, last_seen_at, version)
       VALUES ($1, 'stale', 'timeout', 'x', 'x', 'open', 'SEV-4', now(), 0, 0, now(), 1)`,
      [randomUUID()],
    );
    const [{ n }]: { n: string }[] = await log.scratch.admin.query(`SELECT count(*) AS n FROM ${log.s}.events`);
    const result = await log.cli(['projections', 'rebuild', 'incidents', '--batch-size', '17', '--json'], { role: 'incident_app' });
    expect(result.code).toBe(0);
    expect(result.json<RebuildResult & { matches: boolean }>()).toMatchObject({ projection: 'incidents', eventsRead: Number(n), incidents: 7, incidentsInLog: 7, eventsAboveHorizon: 0, matches: true });
    const rows: { resolved: string; signals: string }[] = await log.scratch.admin.query(
      `SELECT count(*) FILTER (WHERE status = 'resolved') AS resolved, sum(signal_count) AS signals FROM ${log.s}.incidents`,
    );
    expect(rows[0]).toEqual({ resolved: '4', signals: String(20 + 21 + 22 + 23 + 24 + 25 + 26) });
  });

  it('says so in a table for people', async () => {
    const result = await log.cli(['projections', 'rebuild'], { role: 'incident_app' });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^incidents +7 in the read model, 7 in the log: match$/m);
  });

  it('is refused to incident_reader with exit 2, naming the role it needs', async () => {
    const result = await log.cli(['projections', 'rebuild']);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/connect as incident_app or the owner/) });
  });

  it('waits for a transaction elsewhere that holds the read horizon back, and says so when it gives up (exit 1)', async () => {
    // Whole-log readers stop below the oldest transaction still running in the cluster.
    const holder = log.scratch.admin.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    try {
      await holder.query('SELECT pg_current_xact_id()');
      const id = randomUUID();
      await log.appendIncident(id, [ev.opened(id, { at: minutesAfter(T0, 30) })]);
      const gaveUp = await log.cli(['projections', 'rebuild', '--wait', '1', '--json'], { role: 'incident_app' });
      expect(gaveUp.code).toBe(1);
      expect(gaveUp.json()).toMatchObject({ incidents: 7, incidentsInLog: 8, eventsAboveHorizon: 1, matches: false });
      expect(gaveUp.stderr).toMatch(/past the read horizon/);
      const waiting = log.cli(['projections', 'rebuild', '--json'], { role: 'incident_app' });
      await sleep(1500);
      await holder.commitTransaction();
      const done = await waiting;
      expect(done.code).toBe(0);
      expect(done.json()).toMatchObject({ incidents: 8, incidentsInLog: 8, eventsAboveHorizon: 0 });
    } finally {
      if (holder.isTransactionActive) await holder.rollbackTransaction();
      await holder.release();
    }
  });

  it('exits 2 for a read model it does not know', async () => {
    expect(await log.cli(['projections', 'rebuild', 'postmortems'], { role: 'incident_app' })).toMatchObject({ code: 2, stderr: expect.stringMatching(/no read model "postmortems"/) });
  });
});
