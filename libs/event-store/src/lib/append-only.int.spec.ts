import type { DataSource } from 'typeorm';
import { newEvents, streamName } from '../int-support/events';
import { type Scratch, createScratch } from '../int-support/scratch';

/** Each mutation a tamperer would try, against the table given. */
const mutations = (table: string) => ({
  UPDATE: `UPDATE ${table} SET payload = '{"forged":true}'`,
  DELETE: `DELETE FROM ${table}`,
  TRUNCATE: `TRUNCATE ${table}`,
});

describe('the event log is append-only, enforced by the database', () => {
  let s: Scratch;
  let events: string;
  beforeAll(async () => {
    s = await createScratch();
    events = `"${s.schema}".events`;
    await s.store.append(streamName(), newEvents(3), {
      expectedVersion: 'no_stream',
    });
  });
  afterAll(() => s.dispose());

  it.each(['UPDATE', 'DELETE', 'TRUNCATE'] as const)(
    'refuses %s on events to incident_app, which holds no such grant',
    async (op) => {
      await expect(s.dataSource.query(mutations(events)[op])).rejects.toThrow(
        /permission denied/,
      );
      await expectLogIntact();
    },
  );

  it.each(['UPDATE', 'DELETE', 'TRUNCATE'] as const)(
    'refuses %s on events to the owner while the triggers stand',
    async (op) => {
      await expect(asOwner(s.admin, mutations(events)[op])).rejects.toThrow(
        /event log is append-only: (UPDATE|DELETE|TRUNCATE) on/,
      );
      await expectLogIntact();
    },
  );

  it.each(['UPDATE', 'DELETE', 'TRUNCATE'] as const)(
    'refuses %s even to a superuser in replica mode, because the triggers are ENABLE ALWAYS',
    async (op) => {
      await expect(
        s.admin.transaction(async (m) => {
          await m.query('SET LOCAL session_replication_role = replica');
          await m.query(mutations(events)[op]);
        }),
      ).rejects.toThrow(/append-only/);
      await expectLogIntact();
    },
  );

  it('lets incident_reader read the log but not append to it', async () => {
    const reader = await s.connect('incident_reader', 1);
    const [row]: { n: number }[] = await reader.query(
      `SELECT count(*)::int AS n FROM ${events}`,
    );
    expect(row.n).toBeGreaterThan(0);
    await expect(
      reader.query(
        `INSERT INTO ${events} (event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, prev_hash, hash)
         VALUES (gen_random_uuid(), 'x', 1, 'T', 1, now(), '{}', repeat('0', 64), repeat('0', 64))`,
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it('refuses to delete a stream head or move it backwards, even for the owner', async () => {
    const heads = `"${s.schema}".streams`;
    await expect(asOwner(s.admin, `DELETE FROM ${heads}`)).rejects.toThrow(
      /append-only/,
    );
    await expect(asOwner(s.admin, `TRUNCATE ${heads}`)).rejects.toThrow(
      /append-only/,
    );
    await expect(
      s.dataSource.query(`UPDATE ${heads} SET version = version - 1`),
    ).rejects.toThrow(/may only move forward/);
  });

  async function expectLogIntact(): Promise<void> {
    expect(await s.store.verify()).toMatchObject({
      ok: true,
      eventsChecked: 3,
    });
  }
});

/** As the admin, who is a member of incident_owner, the way migrations run. */
function asOwner(admin: DataSource, sql: string): Promise<unknown> {
  return admin.transaction(async (m) => {
    await m.query('SET LOCAL ROLE incident_owner');
    await m.query(sql);
  });
}
