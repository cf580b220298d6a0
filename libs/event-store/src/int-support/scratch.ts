// Scratch schemas for this lib's own integration tests. libs/testing offers the same to other libs,
// but it depends on this lib, so importing it from here would be a dependency cycle.
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { CheckpointStore } from '../lib/checkpoint-store';
import { createDataSource } from '../lib/data-source';
import { EventStore } from '../lib/event-store';
import { ensureDatabase, ensureRoles } from '../lib/provision';
import type { UpcasterRegistry } from '../lib/upcasters';
import { runMigrations } from '../migrations/run';

export const adminUrl =
  process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/incidents';

export function roleUrl(role: string, url = adminUrl): string {
  const parsed = new URL(url);
  parsed.username = role;
  parsed.password = '';
  return parsed.toString();
}

let prepared: Promise<void> | undefined;

export async function scratchSchema(): Promise<string> {
  prepared ??= ensureDatabase(adminUrl).then(() => ensureRoles(adminUrl));
  await prepared;
  const schema = `es_int_${randomBytes(6).toString('hex')}`;
  await runMigrations({ databaseUrl: adminUrl, schema });
  return schema;
}

export interface Scratch {
  schema: string;
  /** As incident_app, like the services, so every test also exercises the grants. */
  dataSource: DataSource;
  /** As the admin: for what only an operator, or an attacker, could do. */
  admin: DataSource;
  store: EventStore;
  checkpoints: CheckpointStore;
  /** Another DataSource on the same schema, e.g. as another role or to simulate a restart. */
  connect(role?: string, poolSize?: number): Promise<DataSource>;
  dispose(): Promise<void>;
}

export async function createScratch(
  opts: { upcasters?: UpcasterRegistry; poolSize?: number } = {},
): Promise<Scratch> {
  const schema = await scratchSchema();
  const opened: DataSource[] = [];
  const connect = async (role?: string, poolSize = 4): Promise<DataSource> => {
    const url = role ? roleUrl(role) : adminUrl;
    const dataSource = createDataSource(url, {
      schema,
      poolSize,
      applicationName: 'event-store-int',
    });
    opened.push(dataSource);
    return dataSource.initialize();
  };
  const dataSource = await connect('incident_app', opts.poolSize ?? 10);
  const admin = await connect(undefined, 2);
  return {
    schema,
    dataSource,
    admin,
    store: new EventStore(dataSource, { upcasters: opts.upcasters }),
    checkpoints: new CheckpointStore(dataSource),
    connect,
    dispose: async () => {
      await Promise.allSettled(
        opened.filter((ds) => ds.isInitialized).map((ds) => ds.destroy()),
      );
      const cleanup = await connect(undefined, 1);
      await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await cleanup.destroy();
    },
  };
}
