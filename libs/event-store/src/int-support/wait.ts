import type { DataSource } from 'typeorm';
import type { EventStore } from '../lib/event-store';
import type { LogPosition, StoredEvent } from '../lib/types';

/**
 * Resolves once some backend is blocked on a lock while running a statement that mentions
 * `fragment`: proof that a race really happened rather than two writers taking turns.
 */
export async function untilBlockedOnLock(
  admin: DataSource,
  fragment: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row]: { waiting: number }[] = await admin.query(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
        WHERE wait_event_type = 'Lock' AND position($1 in query) > 0`,
      [fragment],
    );
    if (row.waiting > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(
    `no backend blocked on a lock running ${fragment} within ${timeoutMs} ms`,
  );
}

/**
 * Follows the log from `from` until `enough` says so. readAll holds events back while any older
 * transaction in the cluster is still open, and on a shared server other people's tests hold some:
 * "nothing yet" is a valid answer, so tests wait rather than read once.
 */
export async function readAllUntil(
  store: EventStore,
  from: LogPosition,
  enough: (events: StoredEvent[]) => boolean,
  timeoutMs = 15_000,
): Promise<StoredEvent[]> {
  const deadline = Date.now() + timeoutMs;
  const seen: StoredEvent[] = [];
  let position = from;
  while (!enough(seen)) {
    if (Date.now() > deadline)
      throw new Error(
        `readAll delivered only ${seen.length} events within ${timeoutMs} ms`,
      );
    const page = await store.readAll(position, { limit: 500 });
    seen.push(...page.events);
    position = page.position;
    if (page.events.length === 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return seen;
}
