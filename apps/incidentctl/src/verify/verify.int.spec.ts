import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import { eventHash } from '@incident/event-store';
import { type LogFixture, logFixture, newEvent } from '../int-support/log-fixture';
import { incidentEvents as ev, minutesAfter, T0 } from '../testing/stored-events';
import type { VerifyReport } from './report';

describe('verify: every hash chain and the global sequence', () => {
  let log: LogFixture;
  let stream: string;
  beforeEach(async () => {
    log = await logFixture();
    await seed(log, randomUUID());
    stream = await seed(log, randomUUID());
    await log.appendSignals(4);
  });
  afterEach(() => log.dispose());

  it('passes an untouched log, as incident_reader, saying what it checked', async () => {
    const result = await log.cli(['verify', '--json']);
    expect(result.code).toBe(0);
    const report = result.json<VerifyReport>();
    expect(report).toMatchObject({ ok: true, scope: 'whole log', counted: { streams: 6, events: 14 }, broken: null });
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([['hash chain', true], ['global sequence', true]]);
    const text = await log.cli(['verify']);
    expect(text.stdout).toMatch(/^ok +hash chain +6 streams, 14 events re-hashed/m);
    expect(text.stdout).toMatch(/^ok +global sequence +14 events in position order/m);
    expect(text.stdout).toMatch(/^OK: every event checked is as it was appended$/m);
    expect((await log.cli(['verify', '--stream', stream])).code).toBe(0);
  });

  it('fails naming the stream, version and position of an event changed behind the log\'s back', async () => {
    const position = await positionOf(log, stream, 3);
    await log.behindTheLogsBack(`UPDATE ${log.s}.events SET payload = jsonb_set(payload, '{level}', '"WARN"') WHERE stream_id = $1 AND stream_version = 3`, [stream]);
    await expectBroken(log, { check: 'hash chain', streamId: stream, streamVersion: 3, globalPosition: position, reason: expect.stringMatching(/differs/) });
    expect((await log.cli(['verify', '--stream', stream])).code).toBe(1);
  });

  it('fails naming the stream and version of an event deleted behind the log\'s back', async () => {
    await log.behindTheLogsBack(`DELETE FROM ${log.s}.events WHERE stream_id = $1 AND stream_version = 2`, [stream]);
    await expectBroken(log, { check: 'hash chain', streamId: stream, streamVersion: 2, globalPosition: null, reason: expect.stringMatching(/missing/) });
  });

  it('fails naming the stream and version of an event inserted behind the log\'s back, even one hashed onto the chain', async () => {
    const [last] = await log.scratch.store.readStream(stream, { fromVersion: 5 });
    const forged = { ...newEvent(ev.signal(minutesAfter(T0, 9))), streamId: stream, streamVersion: 6 };
    const hash = eventHash(last.hash, forged);
    await log.behindTheLogsBack(
      `INSERT INTO ${log.s}.events (event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, metadata, prev_hash, hash)
       VALUES ($1, $2, 6, $3, 1, $4, $5::jsonb, $6::jsonb, $7, $8)`,
      [forged.id, stream, forged.type, forged.occurredAt, JSON.stringify(forged.payload), JSON.stringify(forged.metadata), last.hash, hash],
    );
    await expectBroken(log, { streamId: stream, streamVersion: 6, reason: expect.stringMatching(/head/) });
  });

  it('fails when the global sequence loses an event: its transaction id moved where readers following the log never get to', async () => {
    const position = await positionOf(log, stream, 4);
    await log.behindTheLogsBack(
      `UPDATE ${log.s}.events SET transaction_id = (pg_current_xact_id()::text::bigint + 1000000)::text::xid8 WHERE global_position = $1`,
      [position],
    );
    await expectBroken(log, { check: 'global sequence', streamId: stream, streamVersion: 4, globalPosition: position, reason: expect.stringMatching(/never deliver/) });
  });

  it('fails, for a role that may read the sequence, on an event at a position the sequence never handed out', async () => {
    const [last] = await log.scratch.store.readStream(stream, { fromVersion: 5 });
    const forged = { ...newEvent(ev.signal(minutesAfter(T0, 9))), streamId: stream, streamVersion: 6 };
    const hash = eventHash(last.hash, forged);
    // Chained and with its head moved: only where it sits gives it away.
    await log.behindTheLogsBack(
      `INSERT INTO ${log.s}.events (global_position, event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, metadata, prev_hash, hash)
       OVERRIDING SYSTEM VALUE VALUES (1000000000, $1, $2, 6, $3, 1, $4, $5::jsonb, $6::jsonb, $7, $8)`,
      [forged.id, stream, forged.type, forged.occurredAt, JSON.stringify(forged.payload), JSON.stringify(forged.metadata), last.hash, hash],
    );
    await log.behindTheLogsBack(`UPDATE ${log.s}.streams SET version = 6, last_hash = $2 WHERE stream_id = $1`, [stream, hash]);
    const asApp = await log.cli(['verify', '--json'], { role: 'incident_app' });
    expect(asApp.code).toBe(1);
    expect(asApp.json<VerifyReport>().broken).toEqual({ check: 'global sequence', streamId: stream, streamVersion: 6, globalPosition: '1000000000', reason: expect.stringMatching(/sequence handed out/) });
    // incident_reader cannot read the sequence, and says so instead of claiming the check.
    const asReader = await log.cli(['verify', '--json']);
    expect(asReader.json<VerifyReport>().checks[1].detail).toMatch(/sequence bound was not checked/);
  });

  it('exits 1 for a stream that does not exist rather than report it verified', async () => {
    expect(await log.cli(['verify', '--stream', randomUUID()])).toMatchObject({ code: 1, stderr: expect.stringMatching(/no stream incident-/) });
  });
});

async function seed(log: LogFixture, id: string): Promise<string> {
  await log.appendIncident(id, [ev.opened(id), ev.signal(minutesAfter(T0, 1), 'u-1')]);
  await log.appendIncident(id, [ev.signal(minutesAfter(T0, 2), 'u-2'), ev.severityChanged(minutesAfter(T0, 3), 'SEV-3', 'SEV-2')]);
  await log.appendIncident(id, [ev.resolved(minutesAfter(T0, 40))]);
  return Streams.incident(id);
}

async function positionOf(log: LogFixture, stream: string, version: number): Promise<string> {
  const [row]: { p: string }[] = await log.scratch.admin.query(`SELECT global_position::text AS p FROM ${log.s}.events WHERE stream_id = $1 AND stream_version = $2`, [stream, version]);
  return row.p;
}

async function expectBroken(log: LogFixture, broken: Record<string, unknown>): Promise<void> {
  const result = await log.cli(['verify', '--json']);
  expect(result.code).toBe(1);
  expect(result.json<VerifyReport>()).toMatchObject({ ok: false, broken });
  const text = await log.cli(['verify']);
  expect(text.code).toBe(1);
  expect(text.stdout).toMatch(new RegExp(`^BROKEN: stream ${broken['streamId']} version ${broken['streamVersion']}`, 'm'));
}
