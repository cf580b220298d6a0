import { SIGNAL_RECEIVED, Streams } from '@incident/contracts';
import { aSignal, answerOf, type IngestUnderTest, startIngest } from '../../testing/ingest-app';
import { uniqueName } from '../../testing/infra';

// Issue 5, item 3: a signal's userId never enters the hashed log, only its pseudonym.
describe('users recorded by pseudonym (real PostgreSQL)', () => {
  let ingest: IngestUnderTest;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(async () => {
    await ingest?.close();
  });

  it('names one user by one pseudonym across requests, and keeps the userId only in personal_data', async () => {
    const user = uniqueName('user');
    const other = uniqueName('user');
    const first = aSignal({ userId: user });
    const second = aSignal({ userId: user });
    const third = aSignal({ userId: other });
    expect((await ingest.post('/v1/signals', [first, third])).status).toBe(202);
    expect((await ingest.post('/v1/signals', second)).status).toBe(202);
    const refs = await Promise.all([first, second, third].map(async (s) => (await ingest.scratch.store.readStream(Streams.signal(String(s['id']))))[0]));
    expect(refs.map((e) => e.schemaVersion)).toEqual([2, 2, 2]);
    expect(refs[0].payload['userRef']).toMatch(/^usr_[0-9a-f]{32}$/);
    expect(refs[1].payload['userRef']).toBe(refs[0].payload['userRef']);
    expect(refs[2].payload['userRef']).not.toBe(refs[0].payload['userRef']);
    const [{ n }]: { n: number }[] = await ingest.scratch.admin.query(`SELECT count(*)::int AS n FROM "${ingest.scratch.schema}".events WHERE payload::text LIKE $1`, [`%${user}%`]);
    expect(n).toBe(0);
    const rows: { user_ref: string }[] = await ingest.scratch.admin.query(`SELECT user_ref FROM "${ingest.scratch.schema}".personal_data WHERE subject = $1`, [user]);
    expect(rows).toEqual([{ user_ref: refs[0].payload['userRef'] }]);
  });

  it('stores a signal without an id once when resent, and two users\' identical signals as two', async () => {
    const content = { source: 'checkout', message: `boom ${uniqueName('m')}`, level: 'ERROR' };
    const before = await ingest.count(SIGNAL_RECEIVED);
    const a = await answerOf(await ingest.post('/v1/signals', [{ ...content, userId: 'u-1' }, { ...content, userId: 'u-2' }]));
    const again = await answerOf(await ingest.post('/v1/signals', { ...content, userId: 'u-1' }));
    expect(a).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(again).toMatchObject({ accepted: 0, duplicates: 1, signals: [{ signalId: a.signals[0].signalId }] });
    expect(await ingest.count(SIGNAL_RECEIVED)).toBe(before + 2);
  });
});
