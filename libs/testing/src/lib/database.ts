import { ensureDatabase, ensureRoles } from '@incident/event-store';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/incidents';

/** The admin URL tests use: DATABASE_URL, or the development machine's local server. */
export function databaseUrl(): string {
  return process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
}

export type DatabaseRole =
  | 'incident_app'
  | 'incident_reader'
  | 'incident_owner';

/** The same server and database as `url`, logged in as `role` (the test server trusts local logins). */
export function appRoleUrl(
  url: string,
  role: DatabaseRole | string = 'incident_app',
): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = '';
  return parsed.toString();
}

let prepared: Promise<void> | undefined;

/** Database and roles exist, so tests never depend on the infra script having run. Once per process. */
export function prepareDatabase(url = databaseUrl()): Promise<void> {
  prepared ??= (async () => {
    await ensureDatabase(url);
    await ensureRoles(url);
  })();
  return prepared;
}
