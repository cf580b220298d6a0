// Edge of the event store: the only place here that reads the environment.
//   DATABASE_URL=postgres://admin@host/incidents tsx libs/event-store/src/migrations/cli.ts [--schema event_log]
import { DEFAULT_SCHEMA } from '../lib/sql';
import { runMigrations } from './run';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/incidents';

function schemaArgument(argv: string[]): string | undefined {
  const at = argv.indexOf('--schema');
  return at >= 0 ? argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  const schema =
    schemaArgument(process.argv.slice(2)) ??
    process.env['EVENT_LOG_SCHEMA'] ??
    DEFAULT_SCHEMA;
  const applied = await runMigrations({ databaseUrl, schema });
  console.log(
    applied.length === 0
      ? `schema ${schema}: up to date`
      : `schema ${schema}: applied ${applied.length} migration(s): ${applied.join(', ')}`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
