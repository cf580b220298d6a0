import type { EntityManager } from 'typeorm';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Claims a message for a consumer inside the caller's transaction. Returns false when the claim
 * already exists, i.e. the message's effect was committed before (a redelivery).
 *
 * ON CONFLICT DO NOTHING also settles a race: if another replica holds an uncommitted claim for
 * the same message (during a rebalance both may have it), this insert waits for that transaction;
 * if it commits, this one sees the conflict and skips, if it rolls back, this one takes the claim.
 */
export async function claimMessage(
  manager: EntityManager,
  schema: string,
  consumer: string,
  messageId: string,
): Promise<boolean> {
  // The schema name is configuration, not input, but it is spliced into SQL: accept plain names only.
  if (!IDENTIFIER.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  const rows: unknown[] = await manager.query(
    `INSERT INTO "${schema}".processed_messages (consumer, event_id) VALUES ($1, $2)
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, messageId],
  );
  return rows.length === 1;
}

/**
 * Claims a batch's messages in one statement; returns the ids this transaction claimed, i.e. the
 * ones never processed before. Ids go in sorted and de-duplicated, so two transactions claiming
 * overlapping batches (both replicas hold a partition during a rebalance) take the row locks in
 * the same order and queue instead of deadlocking.
 */
export async function claimMessages(
  manager: EntityManager,
  schema: string,
  consumer: string,
  messageIds: readonly string[],
): Promise<Set<string>> {
  if (!IDENTIFIER.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  if (messageIds.length === 0) return new Set();
  const ids = [...new Set(messageIds)].sort();
  const rows: { event_id: string }[] = await manager.query(
    `INSERT INTO "${schema}".processed_messages (consumer, event_id)
     SELECT $1, id FROM unnest($2::uuid[]) AS id
     ON CONFLICT DO NOTHING RETURNING event_id`,
    [consumer, ids],
  );
  return new Set(rows.map((row) => row.event_id));
}
