import { DataSource } from 'typeorm';
import { migrations } from '../migrations';
import { DEFAULT_SCHEMA, schemaIdent } from './sql';

export interface DataSourceOptions {
  schema?: string;
  poolSize?: number;
  applicationName?: string;
}

/**
 * A TypeORM DataSource for the log (not yet initialised: call initialize()). No entities and never
 * `synchronize`: the schema belongs to the migrations, and the store speaks SQL directly because
 * its statements (unnest batches, xid8 horizons) are not something an ORM mapping expresses.
 */
export function createDataSource(
  databaseUrl: string,
  opts: DataSourceOptions = {},
): DataSource {
  const schema = opts.schema ?? DEFAULT_SCHEMA;
  schemaIdent(schema);
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    schema,
    poolSize: opts.poolSize ?? 10,
    applicationName: opts.applicationName ?? 'event-store',
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    logging: false,
  });
}
