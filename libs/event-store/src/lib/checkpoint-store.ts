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

  async store(
    name: string,
    position: LogPosition,
    manager?: EntityManager,
  ): Promise<void> {
    await runner(this.dataSource, manager).query(this.sql.storeCheckpoint, [
      name,
      position.transactionId,
      position.globalPosition,
    ]);
  }
}
