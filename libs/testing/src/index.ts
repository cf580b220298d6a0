export {
  appRoleUrl,
  databaseUrl,
  prepareDatabase,
  type DatabaseRole,
} from './lib/database';
export {
  createScratchEventStore,
  withScratchSchema,
  type ScratchEventStore,
  type ScratchEventStoreOptions,
  type ScratchSchema,
} from './lib/scratch';
export {
  committedCount,
  createTopics,
  deleteTopics,
  eventually,
  kafkaBrokers,
  quietLogger,
  testKafka,
  uniqueName,
} from './lib/kafka';
