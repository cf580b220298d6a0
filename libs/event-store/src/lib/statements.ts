import { EVENT_COLUMNS } from './rows';
import { schemaIdent } from './sql';

export type Statements = ReturnType<typeof statementsFor>;

/** All SQL the store runs, built once per schema. */
export function statementsFor(schema: string) {
  const s = schemaIdent(schema);
  return {
    /** Names of the statements run as prepared statements (per connection, so per schema). */
    names: {
      insert: `event_store_insert_${schema}`,
      head: `event_store_head_${schema}`,
    },
    head: `SELECT NULL::uuid AS event_id, stream_id, version AS stream_version, last_hash AS hash FROM ${s}.streams WHERE stream_id = $1`,
    /** The stream head plus whichever of the ids are already stored (anywhere), in one round trip. */
    headAndStored: `
      SELECT NULL::uuid AS event_id, stream_id, version AS stream_version, last_hash AS hash
        FROM ${s}.streams WHERE stream_id = $1
      UNION ALL
      SELECT event_id, stream_id, stream_version, NULL
        FROM ${s}.events WHERE event_id = ANY($2::uuid[])`,

    /**
     * One statement per append whatever the batch size, zipping column arrays with ROWS FROM.
     * Arrays of uuids, hex hashes, ISO timestamps and integers arrive as literals built by plain
     * joins (nothing in them needs quoting); types, payloads and metadata as JSON arrays, which
     * need no array-literal escaping either.
     * The WHERE holds the head the hashes were chained to ($13, $14) against the streams table:
     * when the caller's idea of the head is stale nothing is stored and no row comes back. A head
     * that moves concurrently makes the INSERT fail on (stream_id, stream_version) instead.
     * The head moves in the same statement, only if events were stored, so it cannot drift from
     * them. One row comes back, not one per event: the transaction id and recorded_at
     * (statement_timestamp) are the same for the whole batch.
     */
    insert: `
      WITH ins AS (
        INSERT INTO ${s}.events
          (event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, metadata, prev_hash, hash)
        SELECT r.event_id, $1, r.stream_version, r.type, r.schema_version, r.occurred_at, r.payload, r.metadata, r.prev_hash, r.hash
          FROM ROWS FROM (
            unnest($2::uuid[]), unnest($3::int[]), jsonb_array_elements_text($4::jsonb), unnest($5::int[]),
            unnest($6::timestamptz[]), jsonb_array_elements($7::jsonb), jsonb_array_elements($8::jsonb),
            unnest($9::text[]), unnest($10::text[])
          ) AS r(event_id, stream_version, type, schema_version, occurred_at, payload, metadata, prev_hash, hash)
         WHERE EXISTS (SELECT FROM ${s}.streams WHERE stream_id = $1 AND version = $13 AND last_hash = $14)
            OR ($13 = 0 AND NOT EXISTS (SELECT FROM ${s}.streams WHERE stream_id = $1))
        RETURNING stream_version, global_position, transaction_id, recorded_at
      ), head AS (
        INSERT INTO ${s}.streams AS h (stream_id, version, last_hash)
        SELECT $1, $11, $12 FROM (SELECT count(*) AS stored FROM ins) AS c WHERE c.stored > 0
        ON CONFLICT (stream_id) DO UPDATE
          SET version = EXCLUDED.version, last_hash = EXCLUDED.last_hash, updated_at = EXCLUDED.updated_at
      )
      SELECT array_agg(global_position ORDER BY stream_version) AS positions,
             (array_agg(transaction_id))[1]::text AS transaction_id, min(recorded_at) AS recorded_at
        FROM ins`,

    readStream: `
      SELECT ${EVENT_COLUMNS} FROM ${s}.events
       WHERE stream_id = $1 AND stream_version BETWEEN $2 AND $3
         AND ($4::timestamptz IS NULL OR recorded_at <= $4::timestamptz)
       ORDER BY stream_version`,

    /**
     * Whole-log order is (transaction_id, global_position), read only below the oldest transaction
     * still running. A sequence value is taken at INSERT but the row becomes visible at COMMIT, so
     * position 11 can be visible while 10 is not yet; a reader that moved past 10 would never see it.
     * Every transaction whose xid is below pg_snapshot_xmin(pg_current_snapshot()) has finished,
     * and no transaction that starts later can get an xid below it, so everything under the horizon
     * is final: resuming after (tx, pos) can skip nothing. The cost is that a long-running
     * transaction anywhere in the cluster holds readers back until it ends.
     */
    readAll: `
      SELECT ${EVENT_COLUMNS} FROM ${s}.events
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
       ORDER BY transaction_id, global_position
       LIMIT $3`,

    /**
     * readAll for a reader that folds only some event types ($4): the others are neither sent nor
     * parsed, yet the page still moves past them, under the same horizon, so resuming skips
     * nothing. A full page of wanted events ends at its last one (later ones may follow); a short
     * page took every wanted event below the horizon, so it reaches the last event of any type
     * there. Rows: the page's events, each followed by that reach (tx, position); a single row of
     * NULL event columns when only unwanted events were passed; none when nothing was. One
     * statement, so one snapshot and one horizon throughout.
     */
    readAllOfTypes: `
      WITH horizon AS MATERIALIZED (
        SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin
      ), page AS MATERIALIZED (
        SELECT ${EVENT_COLUMNS} FROM ${s}.events
         WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
           AND transaction_id < (SELECT xmin FROM horizon)
           AND type = ANY($4::text[])
         ORDER BY transaction_id, global_position
         LIMIT $3
      ), reach AS MATERIALIZED (
        (SELECT transaction_id, global_position FROM page
          WHERE (SELECT count(*) FROM page) = $3
          ORDER BY transaction_id DESC, global_position DESC LIMIT 1)
        UNION ALL
        (SELECT transaction_id, global_position FROM ${s}.events
          WHERE (SELECT count(*) FROM page) < $3
            AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
            AND transaction_id < (SELECT xmin FROM horizon)
          ORDER BY transaction_id DESC, global_position DESC LIMIT 1)
      )
      SELECT page.*, reach.transaction_id::text, reach.global_position
        FROM reach LEFT JOIN page ON true
       ORDER BY page.transaction_id, page.global_position`,
    /**
     * Events in (after, reach]: all below the horizon, so final, and a statement of its own
     * plans with the real bounds (inside readAllOfTypes the planner would assume the whole log).
     */
    countBetween: `
      SELECT count(*)::int AS n FROM ${s}.events
       WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
         AND (transaction_id, global_position) <= ($3::xid8, $4::bigint)`,

    verifyPage: `
      SELECT ${EVENT_COLUMNS}, prev_hash FROM ${s}.events
       WHERE (stream_id, stream_version) > ($1, $2)
       ORDER BY stream_id, stream_version LIMIT $3`,
    verifyStreamPage: `
      SELECT ${EVENT_COLUMNS}, prev_hash FROM ${s}.events
       WHERE stream_id = $1 AND stream_version > $2
       ORDER BY stream_version LIMIT $3`,
    heads: `SELECT stream_id, version, last_hash FROM ${s}.streams WHERE stream_id = ANY($1::text[])`,
    headlessStreams: `
      SELECT h.stream_id, h.version FROM ${s}.streams h
       WHERE ($1::text IS NULL OR h.stream_id = $1)
         AND NOT EXISTS (SELECT FROM ${s}.events e WHERE e.stream_id = h.stream_id)
       ORDER BY h.stream_id LIMIT 1`,

    loadCheckpoint: `SELECT transaction_id, global_position FROM ${s}.checkpoints WHERE name = $1`,
    storeCheckpoint: `
      INSERT INTO ${s}.checkpoints (name, transaction_id, global_position) VALUES ($1, $2::xid8, $3::bigint)
      ON CONFLICT (name) DO UPDATE
        SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()`,
    /**
     * The same, committed without waiting for the WAL flush: set_config(..., true) lasts until the
     * end of the statement's own (implicit) transaction, so one round trip and no session change.
     */
    storeCheckpointLazily: `
      WITH lazy AS (SELECT set_config('synchronous_commit', 'off', true))
      INSERT INTO ${s}.checkpoints (name, transaction_id, global_position)
      SELECT $1, $2::xid8, $3::bigint FROM lazy
      ON CONFLICT (name) DO UPDATE
        SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()`,
  };
}
