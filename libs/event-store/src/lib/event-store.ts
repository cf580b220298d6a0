import type { DataSource, EntityManager } from 'typeorm';
import { append, type AppendContext, type AppendOptions } from './append';
import { appendMany, type AppendManyContext, type AppendManyOptions, type StreamAppend } from './append-many';
import { manyStatementsFor } from './append-many-sql';
import { HeadCache } from './head-cache';
import { queryRows } from './row-query';
import { REACH_COL, toStoredEvent } from './rows';
import { resolveSchema } from './sql';
import { type Statements, statementsFor } from './statements';
import type {
  AppendResult,
  LogPosition,
  NewEvent,
  StoredEvent,
  VerifyResult,
} from './types';
import { UpcasterRegistry } from './upcasters';
import { verifyLog } from './verify';

export interface EventStoreOptions {
  /** Defaults to the DataSource's schema, then 'event_log'. */
  schema?: string;
  upcasters?: UpcasterRegistry;
}

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /** Only events recorded at or before this instant: the stream as an auditor would have seen it then. */
  asOf?: Date;
}

export interface ReadAllOptions {
  limit?: number;
  manager?: EntityManager;
}

const MAX_VERSION = 2_147_483_647;
const DEFAULT_PAGE = 1000;

/** The append-only log. Every read goes through the upcasters; append and verify see rows as stored. */
export class EventStore {
  private readonly sql: Statements;
  private readonly upcasters: UpcasterRegistry;
  private readonly appendContext: AppendContext;
  private readonly appendManyContext: AppendManyContext;

  constructor(
    private readonly dataSource: DataSource,
    options: EventStoreOptions = {},
  ) {
    const schema = resolveSchema(dataSource, options.schema);
    this.sql = statementsFor(schema);
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.appendContext = { dataSource, sql: this.sql, heads: new HeadCache() };
    this.appendManyContext = { dataSource, sql: manyStatementsFor(schema), heads: this.appendContext.heads };
  }

  append(
    streamId: string,
    events: NewEvent[],
    opts: AppendOptions,
  ): Promise<AppendResult> {
    return append(this.appendContext, streamId, events, opts);
  }

  /** Many streams in one transaction and a constant number of statements (see append-many.ts). */
  appendMany(
    appends: readonly StreamAppend[],
    opts: AppendManyOptions = {},
  ): Promise<AppendResult[]> {
    return appendMany(this.appendManyContext, appends, opts);
  }

  async readStream(
    streamId: string,
    opts: ReadStreamOptions = {},
  ): Promise<StoredEvent[]> {
    const rows = await queryRows(
      this.dataSource,
      undefined,
      this.sql.readStream,
      [
        streamId,
        opts.fromVersion ?? 1,
        opts.toVersion ?? MAX_VERSION,
        opts.asOf ?? null,
      ],
    );
    const events = rows.map(toStoredEvent);
    const last = events[events.length - 1];
    // Read to the end, the last event is the head: the usual append that follows saves a round trip.
    if (last && opts.toVersion === undefined && opts.asOf === undefined) {
      this.appendContext.heads.set(streamId, {
        version: last.streamVersion,
        hash: last.hash,
      });
    }
    return events.map((event) => this.upcasters.upcast(event));
  }

  /**
   * The next page of the whole log after `after`, in (transaction id, position) order. Never skips
   * an event committed out of position order (see statements.ts readAll). Store the returned
   * position (CheckpointStore) to resume; an empty page returns `after` unchanged.
   */
  async readAll(
    after: LogPosition,
    opts: ReadAllOptions = {},
  ): Promise<{ events: StoredEvent[]; position: LogPosition }> {
    const limit = opts.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    const rows = await queryRows(
      this.dataSource,
      opts.manager,
      this.sql.readAll,
      [after.transactionId, after.globalPosition, limit],
    );
    if (rows.length === 0) return { events: [], position: after };
    const events = rows.map((row) => this.upcasters.upcast(toStoredEvent(row)));
    const last = events[events.length - 1];
    return {
      events,
      position: {
        transactionId: last.transactionId,
        globalPosition: last.globalPosition,
      },
    };
  }

  /**
   * readAll for a reader that needs only events of `types`: the others stay in the database,
   * unsent and unparsed, but the returned position moves past them all the same, under the same
   * horizon, so storing it and resuming skips nothing (see statements.ts readAllOfTypes).
   * `limit` bounds the wanted events of a page; `passed` counts every log event the page moved
   * past, wanted or not (0 when the position stays where it was).
   */
  async readAllOfTypes(
    after: LogPosition,
    types: readonly string[],
    opts: ReadAllOptions = {},
  ): Promise<{ events: StoredEvent[]; position: LogPosition; passed: number }> {
    const limit = opts.limit ?? DEFAULT_PAGE;
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer, got ${limit}`);
    if (types.length === 0)
      throw new RangeError('readAllOfTypes needs at least one event type');
    const rows = await queryRows(
      this.dataSource,
      opts.manager,
      this.sql.readAllOfTypes,
      [after.transactionId, after.globalPosition, limit, types],
    );
    if (rows.length === 0) return { events: [], position: after, passed: 0 };
    const reach = rows[0];
    const position = {
      transactionId: reach[REACH_COL.transactionId] as string,
      globalPosition: reach[REACH_COL.globalPosition] as string,
    };
    const [{ n: passed }] = await (opts.manager ?? this.dataSource.manager).query(this.sql.countBetween, [
      after.transactionId, after.globalPosition, position.transactionId, position.globalPosition,
    ]) as { n: number }[];
    // Only unwanted events passed: one row whose event columns are all NULL.
    if (rows.length === 1 && reach[0] === null) return { events: [], position, passed };
    return { events: rows.map((row) => this.upcasters.upcast(toStoredEvent(row))), position, passed };
  }

  /** Recomputes the hash chain of one stream, or of every stream. */
  verify(streamId?: string): Promise<VerifyResult> {
    return verifyLog(this.dataSource, this.sql, streamId);
  }
}
