import { schemaIdent } from './sql';

export type ManyStatements = ReturnType<typeof manyStatementsFor>;

/** The SQL of appendMany, built once per schema; each statement serves any number of streams. */
export function manyStatementsFor(schema: string) {
  const s = schemaIdent(schema);
  return {
    names: {
      lockHeads: `event_store_lock_heads_${schema}`,
      insertMany: `event_store_insert_many_${schema}`,
    },

    /**
     * The heads of the streams that exist, locked until the transaction ends. ORDER BY puts the
     * locking after the sort, so every appendMany locks in stream-id order: two of them that share
     * streams queue, they cannot deadlock. Streams without a head cannot be locked; the unique
     * constraints decide races to create them (see insertMany).
     */
    lockHeads: `
      SELECT stream_id, version, last_hash FROM ${s}.streams
       WHERE stream_id = ANY($1::text[])
       ORDER BY stream_id
         FOR UPDATE`,

    /** Which of the ids are already stored, and where. */
    stored: `SELECT event_id, stream_id, stream_version FROM ${s}.events WHERE event_id = ANY($1::uuid[])`,

    /**
     * Every event of every stream in one INSERT, zipping column arrays as append's INSERT does
     * (literal arrays for uuids, integers, hashes and timestamps; JSON arrays for text that may
     * need quoting), and every stream's new head in one upsert. The heads were locked (or did not
     * exist) when read, so a head cannot move in between; a stream created meanwhile by another
     * writer makes the INSERT fail on (stream_id, stream_version) and store nothing.
     */
    insertMany: `
      WITH ins AS (
        INSERT INTO ${s}.events
          (event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, metadata, prev_hash, hash)
        SELECT r.event_id, r.stream_id, r.stream_version, r.type, r.schema_version, r.occurred_at, r.payload, r.metadata, r.prev_hash, r.hash
          FROM ROWS FROM (
            unnest($1::uuid[]), jsonb_array_elements_text($2::jsonb), unnest($3::int[]), jsonb_array_elements_text($4::jsonb),
            unnest($5::int[]), unnest($6::timestamptz[]), jsonb_array_elements($7::jsonb), jsonb_array_elements($8::jsonb),
            unnest($9::text[]), unnest($10::text[])
          ) AS r(event_id, stream_id, stream_version, type, schema_version, occurred_at, payload, metadata, prev_hash, hash)
        RETURNING global_position, transaction_id, recorded_at
      ), head AS (
        INSERT INTO ${s}.streams AS h (stream_id, version, last_hash)
        SELECT * FROM ROWS FROM (jsonb_array_elements_text($11::jsonb), unnest($12::int[]), unnest($13::text[]))
        ON CONFLICT (stream_id) DO UPDATE
          SET version = EXCLUDED.version, last_hash = EXCLUDED.last_hash, updated_at = EXCLUDED.updated_at
      )
      SELECT array_agg(global_position ORDER BY global_position) AS positions,
             (array_agg(transaction_id))[1]::text AS transaction_id, min(recorded_at) AS recorded_at
        FROM ins`,
  };
}
