// The migration Job's entrypoint (`node dist/tools/migrate/main.js`): applies the event-store
// migrations once, then exits. Unlike libs/event-store's tsx CLI it has no localhost default:
// a container that silently migrated the wrong database would be worse than one that stops.
//   DATABASE_URL   an admin URL; its user must be a member of incident_owner (roles made beforehand)
//   EVENT_LOG_SCHEMA  the schema, default event_log (the services must use the same)
import { DEFAULT_SCHEMA, runMigrations } from '@incident/event-store';

const EXIT_CONFIG = 2; // the services' exit code for bad configuration

async function main(env: NodeJS.ProcessEnv): Promise<number> {
  const databaseUrl = env['DATABASE_URL']?.trim();
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    process.stderr.write('migrate: DATABASE_URL is not set or not a postgres:// URL (an admin URL is needed)\n');
    return EXIT_CONFIG;
  }
  const schema = env['EVENT_LOG_SCHEMA']?.trim() || DEFAULT_SCHEMA;
  const applied = await runMigrations({ databaseUrl, schema });
  process.stdout.write(
    applied.length === 0
      ? `migrate: schema ${schema} is up to date\n`
      : `migrate: schema ${schema}: applied ${applied.length} migration(s): ${applied.join(', ')}\n`,
  );
  return 0;
}

main(process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
