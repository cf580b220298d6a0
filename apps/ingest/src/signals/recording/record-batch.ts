import { ConcurrencyError, type EventStore } from '@incident/event-store';
import type { DataSource } from 'typeorm';
import type { PlannedAppend } from './signal-events';
import { groupByStream } from './stream-appends';

export interface EventLog {
  dataSource: DataSource;
  store: EventStore;
}

/** The log could not commit (down, overloaded, too slow): nothing of the batch is acknowledged. */
export class LogUnavailableError extends Error {
  readonly code = 'LOG_UNAVAILABLE' as const;

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`the event log could not commit: ${reason}`, options);
    this.name = 'LogUnavailableError';
  }
}

/**
 * Appends a whole request in one transaction: every item commits, or none does, so a 202 means
 * all of it is durable and any failure leaves nothing half-stored. Returns, per item, whether the
 * log already held it (a resend).
 *
 * One appendMany for the whole request: every signal has a stream of its own, and appendMany
 * stores any number of streams with a constant number of statements (see README for the cost).
 *
 * `timeoutMs` bounds the whole thing. Past it the caller answers 503; the transaction may still
 * commit afterwards, which is harmless: the publisher retries and gets `duplicate: true`.
 */
export async function recordBatch(
  log: EventLog,
  appends: readonly PlannedAppend[],
  opts: { timeoutMs: number },
): Promise<boolean[]> {
  const work = log.dataSource.transaction(async (manager) => {
    // The server gives up on a stuck statement (lock, overload) and rolls back on its own.
    await manager.query(
      `SET LOCAL statement_timeout = ${Math.max(1, Math.floor(opts.timeoutMs))}`,
    );
    const grouped = groupByStream(appends);
    const results = await log.store.appendMany(grouped.appends, { manager });
    const stored = results.map((r) => new Set(r.duplicates));
    return appends.map(
      ({ event }, i) =>
        grouped.repeated[i] ||
        stored[grouped.entryOf[i]].has(event.id.toLowerCase()),
    );
  });
  try {
    return await withDeadline(work, opts.timeoutMs);
  } catch (error) {
    if (isLogUnavailable(error))
      throw new LogUnavailableError(describe(error), { cause: error });
    throw error;
  }
}

class DeadlineError extends Error {
  constructor(ms: number) {
    super(`no commit within ${ms} ms`);
  }
}

function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(ms)), ms);
  });
  // The losing promise must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

// SQLSTATE classes that say "not now" rather than "never": 08 connection exception,
// 40 transaction rollback (serialization, deadlock), 53 insufficient resources,
// 57 operator intervention (57014 query_canceled = statement_timeout, 57P01 admin shutdown),
// 58 system error; plus 55P03 lock_not_available.
const TRANSIENT_SQLSTATE = /^(08|40|53|57|58)|^55P03$/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
// node-postgres reports a lost server without a code.
const LOST_CONNECTION =
  /Connection terminated|connection error|timeout exceeded when trying to connect|Client was closed/i;

/**
 * Failures a retry may cure, answered 503 + Retry-After. Anything else (a bug, a conflicting id)
 * is a 500: retrying the same request would fail the same way.
 */
export function isLogUnavailable(error: unknown): boolean {
  if (error instanceof DeadlineError || error instanceof ConcurrencyError)
    return true;
  if (typeof error !== 'object' || error === null) return false;
  const e = error as {
    code?: unknown;
    driverError?: unknown;
    message?: unknown;
    errors?: unknown;
  };
  if (
    typeof e.code === 'string' &&
    (TRANSIENT_SQLSTATE.test(e.code) || NETWORK_CODES.has(e.code))
  )
    return true;
  if (typeof e.message === 'string' && LOST_CONNECTION.test(e.message))
    return true;
  // TypeORM wraps the driver's error; Node wraps per-address connect failures in an AggregateError.
  if (e.driverError !== undefined && e.driverError !== error)
    return isLogUnavailable(e.driverError);
  if (Array.isArray(e.errors)) return e.errors.some(isLogUnavailable);
  return false;
}

function describe(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown database error';
}
