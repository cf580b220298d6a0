import { randomUUID } from 'node:crypto';
import { Streams } from '@incident/contracts';
import { opened, signal, T0 } from '../fixtures/incident-events';
import { appendIncident, createScratchEventStore, KEYS, type RunningApi, type ScratchEventStore, startApi } from '../int-support/api';

// An auditor proves the log unaltered, then someone with superuser rights edits an event behind
// the triggers' back: the same request must now name the stream and the version that changed.
describe('GET /v1/audit/verify: proof that the log was not altered', () => {
  let scratch: ScratchEventStore;
  let api: RunningApi;
  const intact = randomUUID();
  const tampered = randomUUID();

  beforeAll(async () => {
    scratch = await createScratchEventStore({ poolSize: 4 });
    api = await startApi(scratch);
    await appendIncident(scratch, intact, [opened({ incidentId: intact }), signal(T0)]);
    await appendIncident(scratch, tampered, [opened({ incidentId: tampered }), signal(T0), signal(T0)]);
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.dispose();
  });

  it('answers 200 with what it checked while every event is as appended', async () => {
    const { status, body } = await api.get('/v1/audit/verify', KEYS.auditor);
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, streamsChecked: 2, eventsChecked: 5 });
    const one = await api.get(`/v1/audit/verify?stream=${Streams.incident(intact)}`, KEYS.auditor);
    expect(one).toEqual({ status: 200, body: { ok: true, streamsChecked: 1, eventsChecked: 2 } });
  });

  it('answers 404 for a stream that does not exist rather than a clean bill of health', async () => {
    expect((await api.get(`/v1/audit/verify?stream=incident-${randomUUID()}`, KEYS.auditor)).status).toBe(404);
  });

  it('answers 409 naming the stream and version after an event was changed behind the triggers', async () => {
    const table = `"${scratch.schema}".events`;
    await scratch.admin.transaction(async (m) => {
      await m.query(`ALTER TABLE ${table} DISABLE TRIGGER ALL`);
      await m.query(`UPDATE ${table} SET payload = jsonb_set(payload, '{errorCode}', '"500"') WHERE stream_id = $1 AND stream_version = 2`, [Streams.incident(tampered)]);
      await m.query(`ALTER TABLE ${table} ENABLE TRIGGER ALL`);
    });
    const expected = {
      ok: false,
      streamId: Streams.incident(tampered),
      streamVersion: 2,
      reason: 'the event differs from what was hashed when it was appended',
      message: `stream ${Streams.incident(tampered)} is broken at version 2: the event differs from what was hashed when it was appended`,
    };
    expect(await api.get('/v1/audit/verify', KEYS.auditor)).toEqual({ status: 409, body: expected });
    expect(await api.get(`/v1/audit/verify?stream=${Streams.incident(tampered)}`, KEYS.auditor)).toEqual({ status: 409, body: expected });
    expect((await api.get(`/v1/audit/verify?stream=${Streams.incident(intact)}`, KEYS.auditor)).status).toBe(200);
  });
});
