import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { appRoleUrl, databaseUrl } from './database';
import { createScratchEventStore } from './scratch';

describe('scratch event stores for integration tests', () => {
  it('gives each test a migrated schema of its own, used as incident_app, and drops it on dispose', async () => {
    const scratch = await createScratchEventStore();
    const [{ user }]: { user: string }[] = await scratch.dataSource.query(
      'SELECT current_user AS user',
    );
    expect(user).toBe('incident_app');
    const { appended } = await scratch.store.append(
      'incident-1',
      [
        {
          id: randomUUID(),
          type: 'IncidentOpened',
          schemaVersion: 1,
          occurredAt: new Date(),
          payload: {},
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    await scratch.checkpoints.store('reader', {
      transactionId: appended[0].transactionId,
      globalPosition: appended[0].globalPosition,
    });
    expect(await scratch.store.verify()).toMatchObject({
      ok: true,
      eventsChecked: 1,
    });

    await scratch.dispose();
    expect(await schemaExists(scratch.schema)).toBe(false);
  });

  it('logs in as another role on the same server and database', () => {
    expect(
      appRoleUrl(
        'postgres://admin:secret@db:5432/incidents?sslmode=disable',
        'incident_reader',
      ),
    ).toBe('postgres://incident_reader@db:5432/incidents?sslmode=disable');
  });
});

async function schemaExists(schema: string): Promise<boolean> {
  const client = new Client({ connectionString: databaseUrl() });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      'SELECT 1 FROM pg_namespace WHERE nspname = $1',
      [schema],
    );
    return rowCount === 1;
  } finally {
    await client.end();
  }
}
