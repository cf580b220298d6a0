// The e2e tier's own schema: migrated by the event-store's CLI (the same code as infra:up),
// dropped again after the run. Plain ESM so that jest's global setup needs no transform.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from '../../../../tools/stack/stack.mjs';

export async function migrate(adminUrl, schema) {
  const r = spawnSync(join(root, 'node_modules/.bin/tsx'), ['libs/event-store/src/migrations/cli.ts', '--schema', schema], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: adminUrl },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`migrating ${schema} failed: ${r.stderr || r.stdout}`);
}

export async function dropSchema(adminUrl, schema) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    // The name is ours (e2e_<hex>); checked anyway since identifiers cannot be parameters.
    if (!/^e2e_[0-9a-f]{8}$/.test(schema)) throw new Error(`refusing to drop ${schema}`);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
