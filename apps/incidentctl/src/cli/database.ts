import { EventStore, createDataSource } from '@incident/event-store';
import type { DataSource } from 'typeorm';
import { type Config, describeUrl } from './config';
import { CliError, ExitCode, unreachable, usageError } from './exit-codes';

/** An open connection to the log: the DataSource, the store over it, and the schema it reads. */
export interface Log {
  dataSource: DataSource;
  store: EventStore;
  schema: string;
  /** `"schema"`, for SQL text (checked to be a plain identifier by readConfig). */
  s: string;
}

const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Opens the log, runs `work`, and always closes the pool so the process can exit. The store is
 * built without upcasters: auditors see events as stored, which is what the hash chain covers.
 */
export async function withLog<T>(config: Config, work: (log: Log) => Promise<T>, opts: { poolSize?: number } = {}): Promise<T> {
  const dataSource = createDataSource(config.databaseUrl, {
    schema: config.schema,
    poolSize: opts.poolSize ?? 4,
    applicationName: 'incidentctl',
  });
  // node-postgres waits forever for a host that drops packets; a script deserves an answer.
  dataSource.setOptions({ connectTimeoutMS: CONNECT_TIMEOUT_MS });
  try {
    await dataSource.initialize();
  } catch (error) {
    throw databaseError(error, config);
  }
  try {
    const [{ events }]: { events: string | null }[] = await dataSource.query('SELECT to_regclass($1) AS events', [`"${config.schema}".events`]);
    if (!events) throw usageError(`no event log in schema "${config.schema}" of ${describeUrl(config.databaseUrl)} (EVENT_LOG_SCHEMA; migrations run?)`);
    return await work({ dataSource, store: new EventStore(dataSource, { schema: config.schema }), schema: config.schema, s: `"${config.schema}"` });
  } catch (error) {
    throw databaseError(error, config);
  } finally {
    await dataSource.destroy().catch(() => undefined);
  }
}

/** The role lacks a privilege the command needs: a configuration error (exit 2), worded by the command when it knows better. */
export class PrivilegeError extends CliError {
  constructor(
    readonly pgMessage: string,
    readonly where: string,
  ) {
    super(ExitCode.usage, `${pgMessage} (connected as ${where}; "incidentctl --help" says which role each command needs)`);
  }
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/**
 * Sorts a failure into the exit codes: the server away or going away is 3, a login or privilege
 * the configuration got wrong is 2. Anything else is not ours to classify and is rethrown.
 */
export function databaseError(error: unknown, config: Config): unknown {
  if (error instanceof CliError) return error;
  const e = error as { code?: unknown; driverError?: { code?: unknown }; message?: unknown };
  const code = String(e?.driverError?.code ?? e?.code ?? '');
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const where = describeUrl(config.databaseUrl);
  if (UNREACHABLE_CODES.has(code) || /^(08|57P0)/.test(code) || /timeout|terminated unexpectedly|Connection terminated/i.test(message)) {
    return unreachable(`cannot reach PostgreSQL at ${where}: ${message || code}`);
  }
  if (/^28/.test(code) || code === '3D000') return usageError(`cannot log in to ${where}: ${message}`);
  if (code === '42501') return new PrivilegeError(message, where);
  if (code === '25006') return new CliError(ExitCode.usage, `${message}: this command writes, connect as incident_app or the owner`);
  return error;
}
