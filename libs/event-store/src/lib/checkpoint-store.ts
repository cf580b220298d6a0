import type { DataSource, EntityManager } from 'typeorm';
import { resolveSchema, runner } from './sql';
import { type Statements, statementsFor } from './statements';
import { type LogPosition, START } from './types';

/**
 * Where each whole-log reader (relay, projection) has got to. Pass the manager of the transaction
 * that applies the reader's effect, so the effect and the checkpoint commit together.
 */
export class CheckpointStore {
  private readonly sql: Statements;

  constructor(
    private readonly dataSource: DataSource,
    options: { schema?: string } = {},
  ) {
    this.sql = statementsFor(resolveSchema(dataSource, options.schema));
  }

  /** START for a reader that never stored a checkpoint. */
  async load(name: string, manager?: EntityManager): Promise<LogPosition> {
    const rows: { transaction_id: string; global_position: string }[] =
      await runner(this.dataSource, manager).query(this.sql.loadCheckpoint, [
        name,
      ]);
    if (rows.length === 0) return START;
    return {
      transactionId: rows[0].transaction_id,
      globalPosition: rows[0].global_position,
    };
  }

  /**
   * `synchronousCommit: false` (outside a caller's transaction only): the commit does not wait for
   * the WAL flush, so a crash of the database server may lose the last few stored positions. For a
   * reader whose effects are idempotent (the relay: consumers de-duplicate by event id) that only
   * means re-reading a little; never use it where the checkpoint commits with the effect.
   */
  async store(
    name: string,
    position: LogPosition,
    manager?: EntityManager,
    options: { synchronousCommit?: boolean } = {},
  ): Promise<void> {
    const lazy = options.synchronousCommit === false;
    if (lazy && manager?.queryRunner?.isTransactionActive) {
      throw new Error('CheckpointStore.store: synchronousCommit false is for a checkpoint committed on its own, not inside a transaction');
    }
    await runner(this.dataSource, manager).query(lazy ? this.sql.storeCheckpointLazily : this.sql.storeCheckpoint, [
      name,
      position.transactionId,
      position.globalPosition,
    ]);
  }
}
