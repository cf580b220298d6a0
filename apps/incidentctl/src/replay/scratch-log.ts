import { randomBytes } from 'node:crypto';
import { createDataSource, EventStore, runMigrations } from '@incident/event-store';
import type { DataSource } from 'typeorm';

/** A fresh, migrated `replay_<hex>` schema the replay writes its decisions to, and nothing else. */
export interface ScratchLog {
  schema: string;
  dataSource: DataSource;
  store: EventStore;
  /** Closes the pool and drops the schema, unless it is to be kept for inspection. */
  close(opts: { keep: boolean }): Promise<void>;
}

/**
 * Created with the same migrations as the real log, by a URL that may create schemas (the
 * migrations run as incident_owner). The schema name is made here and checked again before it is
 * dropped, so neither the writes nor the DROP can ever reach another schema.
 */
export async function openScratchLog(adminUrl: string, realSchema: string): Promise<ScratchLog> {
  const schema = `replay_${randomBytes(6).toString('hex')}`;
  if (schema === realSchema) throw new Error('refusing to replay into the real log');
  await runMigrations({ databaseUrl: adminUrl, schema });
  const dataSource = createDataSource(adminUrl, { schema, poolSize: 2, applicationName: 'incidentctl-replay' });
  await dataSource.initialize();
  return {
    schema,
    dataSource,
    store: new EventStore(dataSource, { schema }),
    async close({ keep }) {
      try {
        if (!keep && /^replay_[0-9a-f]{12}$/.test(schema)) await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
      } finally {
        await dataSource.destroy();
      }
    },
  };
}
