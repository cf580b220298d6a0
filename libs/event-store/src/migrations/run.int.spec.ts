import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { adminUrl, scratchSchema } from '../int-support/scratch';
import { createDataSource } from '../lib/data-source';
import { runMigrations } from './run';

const ALL = [
  'CreateEventLog1764201600000',
  'CreateStreamHeads1764201600001',
  'CreateConsumerState1764201600002',
  'CreateCorrelationIncidents1764201600003',
  'CreateIncidentsProjection1764201600004',
  'CheckHashesByLength1764288000000',
  'CreatePostmortemDue1764547200000',
  'CreateRemediationTimers1764633600000',
  'CreatePersonalData1764720000000',
];

describe('runMigrations', () => {
  let admin: DataSource;
  const schemas: string[] = [];
  beforeAll(async () => {
    schemas.push(await scratchSchema());
    admin = await createDataSource(adminUrl, { poolSize: 2 }).initialize();
  });
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.destroy();
  });

  it('applies nothing to a schema that is up to date, so every service may run it at boot', async () => {
    expect(await runMigrations({ databaseUrl: adminUrl, schema: schemas[0] })).toEqual([]);
  });

  it('applies each migration exactly once when two replicas migrate a new schema at the same time', async () => {
    const schema = `es_int_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    const runs = await Promise.all([runMigrations({ databaseUrl: adminUrl, schema }), runMigrations({ databaseUrl: adminUrl, schema })]);
    expect(runs.flat().sort()).toEqual([...ALL].sort());
    const rows: { name: string }[] = await admin.query(`SELECT name FROM "${schema}".migrations ORDER BY id`);
    expect(rows.map((r) => r.name)).toEqual(ALL);
  });

  it('creates every object as incident_owner, so the services role owns nothing it could ALTER or DROP', async () => {
    const owners: { owner: string }[] = await admin.query(
      `SELECT DISTINCT pg_get_userbyid(c.relowner) AS owner FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
       UNION
       SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = $1`,
      [schemas[0]],
    );
    expect(owners.map((o) => o.owner)).toEqual(['incident_owner']);
  });

  it.each([
    ['incident_app', 'SELECT,INSERT', 'events'],
    ['incident_app', 'SELECT,INSERT,UPDATE', 'streams'],
    ['incident_app', 'SELECT,INSERT,UPDATE', 'checkpoints'],
    ['incident_app', 'SELECT,INSERT', 'processed_messages'],
    ['incident_app', 'SELECT,INSERT,UPDATE,DELETE', 'incidents'],
    ['incident_app', 'SELECT,INSERT,UPDATE,DELETE', 'incident_users'],
    ['incident_reader', 'SELECT', 'events'],
    ['incident_reader', 'SELECT', 'streams'],
    ['incident_reader', 'SELECT', 'checkpoints'],
    ['incident_reader', 'SELECT', 'processed_messages'],
    ['incident_reader', 'SELECT', 'incidents'],
    ['incident_reader', 'SELECT', 'incident_users'],
    ['incident_app', 'SELECT,INSERT,UPDATE', 'correlation_incidents'],
    ['incident_reader', 'SELECT', 'correlation_incidents'],
    ['incident_app', 'SELECT,INSERT,UPDATE', 'remediation_timers'],
    ['incident_reader', 'SELECT', 'remediation_timers'],
    ['incident_app', 'SELECT,INSERT,UPDATE', 'postmortem_due'],
    ['incident_reader', 'SELECT', 'postmortem_due'],
    // Column-level SELECT (subject, user_ref) only: no table-wide SELECT, so never the keys.
    ['incident_app', 'INSERT', 'personal_data'],
    ['incident_reader', '', 'personal_data'],
    ['incident_app', 'SELECT', 'personal_data_erasures'],
    ['incident_reader', 'SELECT', 'personal_data_erasures'],
  ])('grants %s exactly %s on %s', async (role, expected, table) => {
    const privileges = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
    const [row]: Record<string, boolean>[] = await admin.query(
      `SELECT ${privileges.map((p, i) => `has_table_privilege($1, $2, '${p}') AS p${i}`).join(', ')}`,
      [role, `"${schemas[0]}".${table}`],
    );
    expect(privileges.filter((_, i) => row[`p${i}`]).join(',')).toBe(expected);
  });

  it('marks the guard triggers ENABLE ALWAYS, so replica mode does not switch them off', async () => {
    const triggers: { tgname: string; tgenabled: string }[] = await admin.query(
      `SELECT t.tgname, t.tgenabled FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT t.tgisinternal ORDER BY t.tgname`,
      [schemas[0]],
    );
    expect(triggers).toEqual(
      ['events_no_truncate', 'events_no_update_delete', 'streams_forward_only', 'streams_no_delete', 'streams_no_truncate'].map(
        (tgname) => ({ tgname, tgenabled: 'A' }),
      ),
    );
  });

  it('refuses a schema name that would need quoting', async () => {
    await expect(runMigrations({ databaseUrl: adminUrl, schema: 'Robert"; DROP TABLE x;--' })).rejects.toThrow('invalid schema name');
  });
});
