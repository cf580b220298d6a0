import { randomBytes } from 'node:crypto';
import {
  CheckpointStore,
  EventStore,
  type UpcasterRegistry,
  createDataSource,
  runMigrations,
} from '@incident/event-store';
import type { DataSource } from 'typeorm';
import { appRoleUrl, databaseUrl, prepareDatabase } from './database';

export interface ScratchSchema {
  schema: string;
  /** Admin (migration) URL of the database holding the schema. */
  adminUrl: string;
  /** Drops the schema and everything in it. */
  dispose(): Promise<void>;
}

export interface ScratchEventStore extends ScratchSchema {
  /** Connected as incident_app, like the services: the tests exercise the real grants. */
  dataSource: DataSource;
  /** Connected as the admin, for what only an operator (or an attacker) could do. */
  admin: DataSource;
  store: EventStore;
  checkpoints: CheckpointStore;
}

/** A freshly migrated event-log schema with a random name: tests share no tables, so never truncate. */
export async function withScratchSchema(
  url = databaseUrl(),
): Promise<ScratchSchema> {
  await prepareDatabase(url);
  const schema = `scratch_${randomBytes(6).toString('hex')}`;
  await runMigrations({ databaseUrl: url, schema });
  return {
    schema,
    adminUrl: url,
    dispose: async () => {
      const admin = createDataSource(url, {
        schema,
        poolSize: 1,
        applicationName: 'scratch-dispose',
      });
      await admin.initialize();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await admin.destroy();
      }
    },
  };
}

export interface ScratchEventStoreOptions {
  upcasters?: UpcasterRegistry;
  poolSize?: number;
  url?: string;
}

export async function createScratchEventStore(
  opts: ScratchEventStoreOptions = {},
): Promise<ScratchEventStore> {
  const scratch = await withScratchSchema(opts.url);
  const { schema, adminUrl } = scratch;
  const dataSource = createDataSource(appRoleUrl(adminUrl, 'incident_app'), {
    schema,
    poolSize: opts.poolSize ?? 10,
    applicationName: 'scratch-app',
  });
  const admin = createDataSource(adminUrl, {
    schema,
    poolSize: 2,
    applicationName: 'scratch-admin',
  });
  await Promise.all([dataSource.initialize(), admin.initialize()]);
  return {
    ...scratch,
    dataSource,
    admin,
    store: new EventStore(dataSource, { upcasters: opts.upcasters }),
    checkpoints: new CheckpointStore(dataSource),
    dispose: async () => {
      await Promise.allSettled([dataSource.destroy(), admin.destroy()]);
      await scratch.dispose();
    },
  };
}
