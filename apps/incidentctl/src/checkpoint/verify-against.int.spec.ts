import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Streams } from '@incident/contracts';
import { eventHash } from '@incident/event-store';
import { type LogFixture, logFixture, newEvent } from '../int-support/log-fixture';
import { runCli } from '../testing/run-cli';
import { incidentEvents as ev, minutesAfter, T0 } from '../testing/stored-events';
import type { AgainstReport } from './verify-against';

describe('checkpoint, then verify --against: the log still extends what was signed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'incidentctl-cp-'));
  const key = join(dir, 'auditor');
  let log: LogFixture;
  let first: string;
  let second: string;
  let file: string;

  beforeAll(async () => {
    expect((await runCli(['checkpoint', 'keygen', '--out', key])).code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    log = await logFixture();
    first = await seed(log, randomUUID());
    second = await seed(log, randomUUID());
    await log.appendSignals(3);
    file = join(dir, `${randomUUID()}.json`);
    const taken = await log.cli(['checkpoint', '--out', file, '--key-file', `${key}.key.pem`, '--json']);
    expect(taken.code).toBe(0);
    expect(taken.json()).toMatchObject({ written: true, streamCount: 5, eventCount: 13, merkleRoot: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });
  afterEach(() => log.dispose());

  const against = (opts: { keyFile?: string } = {}) =>
    log.cli(['verify', '--against', file, '--json'], { env: { INCIDENT_CHECKPOINT_KEY_FILE: opts.keyFile ?? `${key}.pub.pem` } });

  it('passes on the untouched log, and on a log that only grew since', async () => {
    expect((await against()).code).toBe(0);
    await log.appendIncident(first.slice('incident-'.length), [ev.signal(minutesAfter(T0, 50), 'u-3')]);
    await seed(log, randomUUID());
    await log.appendSignals(2);
    const grown = await against();
    expect(grown.code).toBe(0);
    expect(grown.json<AgainstReport>()).toMatchObject({ ok: true, growth: { events: 8, newStreams: 3 } });
    expect(grown.json<AgainstReport>().checks.map((c) => [c.name, c.ok])).toEqual([
      ['checkpoint signature', true], ['hash chain', true], ['global sequence', true], ['checkpoint coverage', true],
    ]);
  });

  it('fails when a covered event was changed, even with its chain and head re-hashed to match', async () => {
    await log.forgeStream(second, 2, (payload) => ({ ...payload, userId: 'someone-else' }));
    expect((await log.cli(['verify'])).code).toBe(0); // the forgery is self-consistent...
    const result = await against();
    expect(result.code).toBe(1); // ...but not what was signed
    expect(result.json<AgainstReport>().broken).toMatchObject({ check: 'checkpoint coverage', streamId: second, streamVersion: 5, reason: expect.stringMatching(/hash at version 5 is now/) });
  });

  it('fails when covered events were removed from a stream\'s end and its head rewound to match', async () => {
    const [v4] = await log.scratch.store.readStream(second, { fromVersion: 4, toVersion: 4 });
    await log.behindTheLogsBack(`DELETE FROM ${log.s}.events WHERE stream_id = $1 AND stream_version = 5`, [second]);
    await log.behindTheLogsBack(`UPDATE ${log.s}.streams SET version = 4, last_hash = $2 WHERE stream_id = $1`, [second, v4.hash]);
    expect((await log.cli(['verify'])).code).toBe(0);
    const result = await against();
    expect(result.code).toBe(1);
    expect(result.json<AgainstReport>().broken).toMatchObject({ streamId: second, streamVersion: 5, reason: expect.stringMatching(/version 5 is gone: the stream now ends at version 4/) });
  });

  it('fails when an event was slipped into the covered range: a new stream under a transaction the checkpoint saw committed', async () => {
    const stream = Streams.incident(randomUUID());
    const forged = { ...newEvent(ev.opened(stream.slice('incident-'.length))), streamId: stream, streamVersion: 1 };
    const hash = eventHash('0'.repeat(64), forged);
    await log.behindTheLogsBack(
      `INSERT INTO ${log.s}.events (transaction_id, event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, metadata, prev_hash, hash)
       SELECT (SELECT min(transaction_id) FROM ${log.s}.events), $1, $2, 1, $3, 1, $4, $5::jsonb, $6::jsonb, $7, $8`,
      [forged.id, stream, forged.type, forged.occurredAt, JSON.stringify(forged.payload), JSON.stringify(forged.metadata), '0'.repeat(64), hash],
    );
    await log.behindTheLogsBack(`INSERT INTO ${log.s}.streams (stream_id, version, last_hash) VALUES ($1, 1, $2)`, [stream, hash]);
    expect((await log.cli(['verify'])).code).toBe(0);
    const result = await against();
    expect(result.code).toBe(1);
    expect(result.json<AgainstReport>().broken).toMatchObject({ streamId: stream, streamVersion: 1, reason: expect.stringMatching(/inserted into the covered range/) });
  });

  it('fails when the log itself is broken, naming the stream and version', async () => {
    await log.behindTheLogsBack(`UPDATE ${log.s}.events SET payload = payload || '{"level":"INFO"}' WHERE stream_id = $1 AND stream_version = 2`, [first]);
    const result = await against();
    expect(result.code).toBe(1);
    expect(result.json<AgainstReport>().broken).toMatchObject({ check: 'hash chain', streamId: first, streamVersion: 2 });
  });

  it('fails when the checkpoint file was edited, or is checked against another key; exits 2 without a key', async () => {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...doc, eventCount: doc.eventCount - 1 }));
    expect(await against()).toMatchObject({ code: 1, stdout: expect.stringMatching(/signature does not verify/) });
    writeFileSync(file, JSON.stringify(doc));
    const otherKey = join(dir, `other-${randomUUID()}`);
    await runCli(['checkpoint', 'keygen', '--out', otherKey]);
    expect((await against({ keyFile: `${otherKey}.pub.pem` })).code).toBe(1);
    expect(await log.cli(['verify', '--against', file])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--key-file or INCIDENT_CHECKPOINT_KEY_FILE/) });
  });

  it('refuses to sign a checkpoint of a broken log (exit 1), and to overwrite an existing checkpoint (exit 2)', async () => {
    expect(await log.cli(['checkpoint', '--out', file, '--key-file', `${key}.key.pem`])).toMatchObject({ code: 2, stderr: expect.stringMatching(/exists/) });
    await log.behindTheLogsBack(`DELETE FROM ${log.s}.events WHERE stream_id = $1 AND stream_version = 1`, [first]);
    const result = await log.cli(['checkpoint', '--out', join(dir, `${randomUUID()}.json`), '--key-file', `${key}.key.pem`]);
    expect(result).toMatchObject({ code: 1, stdout: expect.stringMatching(/not signing a checkpoint of a broken log/) });
  });
});

async function seed(log: LogFixture, id: string): Promise<string> {
  await log.appendIncident(id, [ev.opened(id), ev.signal(minutesAfter(T0, 1), 'u-1')]);
  await log.appendIncident(id, [ev.signal(minutesAfter(T0, 2), 'u-2'), ev.severityChanged(minutesAfter(T0, 3), 'SEV-3', 'SEV-2')]);
  await log.appendIncident(id, [ev.resolved(minutesAfter(T0, 40))]);
  return Streams.incident(id);
}
