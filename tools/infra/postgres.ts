// Database, roles and grants for the event log, made idempotently by the admin URL's user.
// Roles: incident_owner owns the schema objects (NOLOGIN, so nobody logs in as the owner and
// the app cannot ALTER/DROP what it only uses); incident_app is what the services log in as;
// incident_reader is read-only for auditors. Schema-level grants belong to the migrations.
import { Client } from 'pg';
import { InfraError } from './preconditions';

export const ROLES = {
  owner: 'incident_owner',
  app: 'incident_app',
  reader: 'incident_reader',
};

/** Same rule as PostgreSQL's quote_ident / format('%I'): always quoted, inner quotes doubled. */
export function quoteIdent(name: string): string {
  if (name.length === 0 || name.includes('\0'))
    throw new InfraError(`bad identifier: ${JSON.stringify(name)}`);
  return `"${name.replace(/"/g, '""')}"`;
}

/** The URL with its password masked, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name)
    throw new InfraError(`DATABASE_URL names no database: ${redactUrl(url)}`);
  return name;
}

/** Connects with a short timeout; an unreachable server is a clear error, never a hang. */
async function connect(url: string, shownUrl: string): Promise<Client> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: 5_000,
  });
  try {
    await client.connect();
    return client;
  } catch (err) {
    await client.end().catch(() => undefined);
    throw new InfraError(
      `PostgreSQL unreachable at ${redactUrl(shownUrl)} (via its maintenance database ` +
        `"postgres"): ${(err as Error).message || String(err)}. ` +
        'Start the server or set DATABASE_URL to an admin (superuser) URL.',
    );
  }
}

/** Runs DDL that has no IF NOT EXISTS form; a concurrent `infra up` may win the race. */
async function ddlIgnoringDuplicate(
  client: Client,
  sql: string,
): Promise<void> {
  try {
    await client.query(sql);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== '42P04' && code !== '42710') throw err; // duplicate_database, duplicate_object
  }
}

async function ensureRole(
  client: Client,
  role: string,
  login: boolean,
  password?: string,
): Promise<boolean> {
  const exists = await client.query(
    'SELECT 1 FROM pg_roles WHERE rolname = $1',
    [role],
  );
  if (exists.rowCount === 0) {
    await ddlIgnoringDuplicate(
      client,
      `CREATE ROLE ${quoteIdent(role)} ${login ? 'LOGIN' : 'NOLOGIN'}`,
    );
  }
  if (password !== undefined && password !== '') {
    // ALTER ROLE takes no bind parameters, so let the server quote the value (format %L)
    // from a parameterised query instead of splicing it into SQL here.
    const { rows } = await client.query<{ sql: string }>(
      "SELECT format('ALTER ROLE %I WITH PASSWORD %L', $1::text, $2::text) AS sql",
      [role, password],
    );
    const sql = rows[0]?.sql;
    if (!sql) throw new InfraError(`could not build ALTER ROLE for ${role}`);
    await client.query(sql);
  }
  return exists.rowCount === 0;
}

export interface DatabaseReport {
  createdDatabase: boolean;
  createdRoles: string[];
}

export async function ensureDatabase(
  databaseUrl: string,
): Promise<DatabaseReport> {
  const db = databaseName(databaseUrl);
  const maintenance = new URL(databaseUrl);
  maintenance.pathname = '/postgres';
  const client = await connect(maintenance.toString(), databaseUrl);
  try {
    const { rows } = await client.query<{ u: string; su: boolean }>(
      'SELECT current_user AS u, rolsuper AS su FROM pg_roles WHERE rolname = current_user',
    );
    const admin = rows[0];
    if (!admin)
      throw new InfraError('cannot see the connecting role in pg_roles');
    const report: DatabaseReport = { createdDatabase: false, createdRoles: [] };

    const created = [
      (await ensureRole(client, ROLES.owner, false)) && ROLES.owner,
      (await ensureRole(
        client,
        ROLES.app,
        true,
        process.env['INCIDENT_APP_PASSWORD'],
      )) && ROLES.app,
      (await ensureRole(
        client,
        ROLES.reader,
        true,
        process.env['INCIDENT_READER_PASSWORD'],
      )) && ROLES.reader,
    ];
    report.createdRoles = created.filter(
      (r): r is string => typeof r === 'string',
    );

    const dbExists = await client.query(
      'SELECT 1 FROM pg_database WHERE datname = $1',
      [db],
    );
    if (dbExists.rowCount === 0) {
      await ddlIgnoringDuplicate(client, `CREATE DATABASE ${quoteIdent(db)}`);
      report.createdDatabase = true;
    }

    const d = quoteIdent(db);
    // Only named roles may connect: PUBLIC's default CONNECT/TEMP would let any login role in.
    await client.query(`REVOKE ALL ON DATABASE ${d} FROM PUBLIC`);
    await client.query(
      `GRANT CONNECT ON DATABASE ${d} TO ${quoteIdent(ROLES.app)}, ${quoteIdent(ROLES.reader)}`,
    );
    // So migrations can `SET ROLE incident_owner` and every object they make is owned by it.
    // A superuser could SET ROLE anyway; the grant keeps that true for a non-superuser admin.
    if (admin.u !== ROLES.owner) {
      await client.query(
        `GRANT ${quoteIdent(ROLES.owner)} TO ${quoteIdent(admin.u)}`,
      );
    }
    if (!admin.su) {
      console.warn(
        `[infra] note: ${admin.u} is not a superuser; later grants may fail`,
      );
    }
    return report;
  } finally {
    await client.end();
  }
}
