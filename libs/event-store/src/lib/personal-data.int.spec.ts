import { randomUUID } from 'node:crypto';
import { createScratch, type Scratch } from '../int-support/scratch';
import { PersonalData, userRefOf } from './personal-data';

describe('personal data kept outside the log, erasable by the owner only', () => {
  let s: Scratch;
  let app: PersonalData;
  let owner: PersonalData;
  beforeAll(async () => {
    s = await createScratch({ poolSize: 8 });
    app = new PersonalData(s.dataSource);
    owner = new PersonalData(s.admin);
  });
  afterAll(() => s.dispose());

  it('gives each user id one pseudonym, the same on every later request', async () => {
    const [a, b] = [`alice-${randomUUID()}`, `bob-${randomUUID()}`];
    const first = await app.userRefs([a, b, a]);
    const again = await app.userRefs([b, a]);
    expect(first.size).toBe(2);
    expect(again).toEqual(first);
    expect(first.get(a)).toMatch(/^usr_[0-9a-f]{32}$/);
    expect(first.get(a)).not.toBe(first.get(b));
  });

  it('derives the pseudonym from the user id under the subject\'s own key (HMAC-SHA256)', async () => {
    const id = `carol-${randomUUID()}`;
    const ref = (await app.userRefs([id])).get(id);
    const [row]: { key: Buffer }[] = await s.admin.query(`SELECT key FROM "${s.schema}".personal_data WHERE subject = $1`, [id]);
    expect(ref).toBe(userRefOf(row.key, id));
  });

  it('gives every racing request for a new user the one pseudonym that was stored', async () => {
    const id = `dave-${randomUUID()}`;
    const refs = await Promise.all(Array.from({ length: 6 }, () => s.dataSource.transaction((tx) => app.userRefs([id], tx))));
    expect(new Set(refs.map((r) => r.get(id))).size).toBe(1);
  });

  it('never lets the services read a key or delete a subject; the owner forgets it and records the erasure', async () => {
    const id = `erin-${randomUUID()}`;
    const ref = (await app.userRefs([id])).get(id) as string;
    await expect(s.dataSource.query(`SELECT key FROM "${s.schema}".personal_data`)).rejects.toThrow(/permission denied/);
    await expect(app.forget(id)).rejects.toThrow(/permission denied/);
    const reader = await s.connect('incident_reader', 1);
    await expect(reader.query(`SELECT subject FROM "${s.schema}".personal_data`)).rejects.toThrow(/permission denied/);
    expect(await owner.forget(id)).toEqual({ userRef: ref, since: expect.any(Date) });
    expect(await app.erasedAt(ref)).toEqual(expect.any(Date));
    expect(await owner.forget(id)).toBeUndefined();
    // Seen again after being forgotten: a new subject, whose pseudonym no one can link to the old one.
    expect((await app.userRefs([id])).get(id)).not.toBe(ref);
  });
});
