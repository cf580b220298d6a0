// A relay in a process of its own, for the crash test: it publishes one batch, and once the
// broker has acknowledged it, kills itself with SIGKILL before the checkpoint is stored. No
// finally block, no shutdown hook runs: the same as a node being lost or an OOM kill.
import { writeSync } from 'node:fs';
import { CheckpointStore, EventStore, createDataSource } from '@incident/event-store';
import { Relay } from '../relay/relay';
import { testKafka } from './int-env';

async function main(): Promise<void> {
  const env = (name: string): string => {
    const value = process.env[name];
    if (!value) throw new Error(`relay-child needs ${name}`);
    return value;
  };
  const schema = env('RELAY_CHILD_SCHEMA');
  const dataSource = createDataSource(env('DATABASE_URL'), { schema, poolSize: 2, applicationName: 'relay-child' });
  if (!dataSource.isInitialized) await dataSource.initialize();
  const relay = new Relay(
    {
      kafka: testKafka('relay-child'),
      dataSource,
      store: new EventStore(dataSource, { schema }),
      checkpoints: new CheckpointStore(dataSource, { schema }),
    },
    {
      route: () => env('RELAY_CHILD_TOPIC'),
      batchSize: Number(env('RELAY_CHILD_BATCH_SIZE')),
      hooks: {
        afterPublishBeforeCheckpoint: ({ events }) => {
          writeSync(1, `published ${events.length}\n`); // sync: the kill comes next
          process.kill(process.pid, 'SIGKILL');
        },
      },
    },
  );
  relay.start();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
