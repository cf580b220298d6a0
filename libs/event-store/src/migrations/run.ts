import { MigrationExecutor } from 'typeorm';
import { createDataSource } from '../lib/data-source';
import { DEFAULT_SCHEMA, schemaIdent, sqlState } from '../lib/sql';

export interface RunMigrationsOptions {
  /** An admin URL: its user must be able to create the schema and be a member of incident_owner. */
  databaseUrl: string;
  schema?: string;
}

/**
 * Applies pending migrations to `schema` and returns the names applied (none when up to date).
 * Every object, the migrations table included, is created as incident_owner so that the services'
 * role never owns, and so can never ALTER or DROP, what protects the log.
 */
export async function runMigrations(
  opts: RunMigrationsOptions,
): Promise<string[]> {
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  const ident = schemaIdent(schema);
  const dataSource = createDataSource(opts.databaseUrl, {
    schema,
    poolSize: 2,
    applicationName: 'event-store-migrations',
  });
  await dataSource.initialize();
  const queryRunner = dataSource.createQueryRunner();
  try {
    // Replicas booting together would otherwise race to create the same tables. The lock is
    // session-level and goes away when destroy() closes the session, even after a failure.
    await queryRunner.query('SELECT pg_advisory_lock(hashtext($1))', [
      `event-store-migrations:${schema}`,
    ]);
    await createSchema(queryRunner, ident);
    await queryRunner.query('SET ROLE incident_owner');
    // Our query runner, not dataSource.runMigrations(): that one would take a fresh pooled
    // connection, without the role and without the lock.
    const executor = new MigrationExecutor(dataSource, queryRunner);
    executor.transaction = 'all';
    const applied = await executor.executePendingMigrations();
    return applied.map((migration) => migration.name);
  } finally {
    await queryRunner.release();
    await dataSource.destroy();
  }
}

async function createSchema(
  queryRunner: { query(sql: string): Promise<unknown> },
  ident: string,
): Promise<void> {
  try {
    // Created by the admin, owned by incident_owner: the owner role need not hold CREATE on the database.
    await queryRunner.query(
      `CREATE SCHEMA IF NOT EXISTS ${ident} AUTHORIZATION incident_owner`,
    );
  } catch (error) {
    if (sqlState(error) === '42704') {
      throw new Error(
        'role incident_owner does not exist: create incident_owner, incident_app and incident_reader first ' +
          '(the infra script does; tests call ensureRoles)',
        { cause: error },
      );
    }
    throw error;
  }
}
