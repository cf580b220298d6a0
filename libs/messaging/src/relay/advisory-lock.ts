import type { PoolClient } from 'pg';
import type { DataSource } from 'typeorm';

type ReleaseConnection = (error?: unknown) => void;

/**
 * A PostgreSQL session-level advisory lock held on a connection of its own, so that only one
 * relay replica publishes at a time (the others poll until the holder's session ends).
 *
 * Why a dedicated session: a session lock belongs to the connection, not to a transaction. Taken
 * on a pooled connection that is later handed back, the lock would stay held by whoever borrows
 * that connection next. So the connection is taken out of the pool, and on release it is
 * destroyed (`release(error)` makes pg-pool close it), which ends the session and frees the lock
 * even if the unlock statement itself failed. If this process dies, PostgreSQL sees the socket
 * close and frees the lock the same way.
 *
 * The lock keeps replicas from doing the same work twice; it is not what makes delivery correct.
 * A holder whose session silently died may still finish one batch while another replica starts:
 * that yields duplicates, which consumers de-duplicate by event id, never a lost event.
 */
export class AdvisoryLock {
  private session?: { client: PoolClient; release: ReleaseConnection };

  constructor(
    private readonly dataSource: DataSource,
    /** Any string; hashed to the 64-bit key space with `hashtextextended`. */
    private readonly key: string,
  ) {}

  get held(): boolean {
    return this.session !== undefined;
  }

  /** One attempt; true when this process now holds the lock. */
  async tryAcquire(): Promise<boolean> {
    if (this.session) return true;
    const [client, release] = await obtainConnection(this.dataSource);
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked',
        [this.key],
      );
      if (rows[0]?.locked) {
        // A dropped socket would otherwise only surface at the next query.
        client.on('error', () => this.forget());
        this.session = { client, release };
        return true;
      }
      release();
      return false;
    } catch (error) {
      release(error);
      throw error;
    }
  }

  /** Fails if the session that holds the lock is gone; called before each checkpoint. */
  async assertHeld(): Promise<void> {
    if (!this.session) throw new Error(`advisory lock ${this.key} is not held`);
    await this.session.client.query('SELECT 1');
  }

  async release(): Promise<void> {
    const session = this.session;
    if (!session) return;
    this.session = undefined;
    try {
      await session.client.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [this.key]);
    } catch {
      // Destroying the connection below frees the lock anyway.
    } finally {
      session.release(new Error('advisory lock session closed on purpose'));
    }
  }

  private forget(): void {
    const session = this.session;
    this.session = undefined;
    session?.release(new Error('advisory lock session lost'));
  }
}

async function obtainConnection(dataSource: DataSource): Promise<[PoolClient, ReleaseConnection]> {
  // TypeORM's PostgresDriver hands out a raw pool client with its release callback; a query
  // runner would always return the connection to the pool, lock included.
  const driver = dataSource.driver as { obtainMasterConnection?: () => Promise<[PoolClient, ReleaseConnection]> };
  if (typeof driver.obtainMasterConnection !== 'function') {
    throw new Error('the relay lock needs a PostgreSQL DataSource');
  }
  return driver.obtainMasterConnection();
}
