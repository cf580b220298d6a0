import { Client } from 'pg';
import { sqlState } from './sql';

/**
 * Bootstrap that normally belongs to the infra script, for tests and local runs that must not
 * depend on it. Idempotent and safe to race: parallel jest workers all call it.
 */

const ROLES_SQL = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'incident_owner') THEN
    CREATE ROLE incident_owner NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'incident_app') THEN
    CREATE ROLE incident_app LOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'incident_reader') THEN
    CREATE ROLE incident_reader LOGIN;
  END IF;
  -- Migrations SET ROLE incident_owner; a superuser may already, anyone else needs membership.
  IF NOT pg_has_role(current_user, 'incident_owner', 'MEMBER') THEN
    EXECUTE format('GRANT incident_owner TO %I', current_user);
  END IF;
END $$`;

/** Creates incident_owner (NOLOGIN), incident_app and incident_reader (LOGIN) when absent. */
export async function ensureRoles(adminUrl: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await retryRace(() => client.query(ROLES_SQL));
  });
}

/** Creates the database named in the URL when absent (connecting to `postgres` to do so). */
export async function ensureDatabase(adminUrl: string): Promise<void> {
  const url = new URL(adminUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`no database name in ${url.origin}`);
  url.pathname = '/postgres';
  await withClient(url.toString(), async (client) => {
    const found = await client.query(
      'SELECT 1 FROM pg_database WHERE datname = $1',
      [name],
    );
    if (found.rowCount) return;
    const ident = `"${name.replace(/"/g, '""')}"`;
    await retryRace(
      () => client.query(`CREATE DATABASE ${ident}`),
      ['42P04', '23505'],
    );
  });
}

async function withClient(
  url: string,
  fn: (client: Client) => Promise<void>,
): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Two sessions creating the same role or database: the loser fails with unique_violation on the
 * catalog (or duplicate_*), and the object it wanted now exists. Once more settles it.
 */
async function retryRace(
  fn: () => Promise<unknown>,
  alsoFine: string[] = [],
): Promise<void> {
  try {
    await fn();
  } catch (error) {
    const state = sqlState(error);
    if (state !== undefined && alsoFine.includes(state)) return;
    if (state !== '23505' && state !== '42710') throw error;
    await fn();
  }
}
