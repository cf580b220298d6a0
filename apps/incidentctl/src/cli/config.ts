import { DEFAULT_SCHEMA } from '@incident/event-store';
import { usageError } from './exit-codes';

export interface Config {
  databaseUrl: string;
  schema: string;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The environment, checked once at the edge (STYLE.md 9). Every problem names the variable, and
 * the URL's password never appears in a message.
 */
export function readConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const url = env['DATABASE_URL'];
  if (!url) throw usageError('DATABASE_URL is not set (e.g. postgres://incident_reader@127.0.0.1:5432/incidents)');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError('DATABASE_URL is not a URL (expected postgres://user@host:port/database)');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw usageError(`DATABASE_URL must be a postgres:// URL, not ${parsed.protocol}//`);
  }
  const schema = env['EVENT_LOG_SCHEMA'] || DEFAULT_SCHEMA;
  if (!SCHEMA.test(schema)) throw usageError(`EVENT_LOG_SCHEMA ${JSON.stringify(schema)} is not a plain lower-case identifier`);
  return { databaseUrl: url, schema };
}

/** `--key-file` wins over INCIDENT_CHECKPOINT_KEY_FILE. */
export function keyFileFrom(option: string | undefined, env: Readonly<Record<string, string | undefined>>): string | undefined {
  return option || env['INCIDENT_CHECKPOINT_KEY_FILE'] || undefined;
}

/** `user@host:port/database`, for messages. */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
  return `${user}${parsed.host}${parsed.pathname}`;
}
