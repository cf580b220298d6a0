export type {
  AppendResult,
  EventMetadata,
  ExpectedVersion,
  LogPosition,
  NewEvent,
  StoredEvent,
  VerifyResult,
} from './lib/types';
export { START } from './lib/types';
export {
  ConcurrencyError,
  EventIdConflictError,
  InvalidEventError,
} from './lib/errors';
export { CanonicalJsonError, canonicalJson } from './lib/canonical-json';
export {
  GENESIS_HASH,
  canonicalEvent,
  chainHash,
  eventHash,
  type ChainedFields,
} from './lib/hash-chain';
export { UpcasterRegistry, type Payload, type Upcaster } from './lib/upcasters';
export {
  EventStore,
  type EventStoreOptions,
  type ReadAllOptions,
  type ReadStreamOptions,
} from './lib/event-store';
export type { AppendOptions } from './lib/append';
export type { AppendManyOptions, StreamAppend } from './lib/append-many';
export { CheckpointStore } from './lib/checkpoint-store';
export { PersonalData, userRefOf, type ErasedSubject } from './lib/personal-data';
export { createDataSource, type DataSourceOptions } from './lib/data-source';
export { DEFAULT_SCHEMA } from './lib/sql';
export { ensureDatabase, ensureRoles } from './lib/provision';
export { runMigrations, type RunMigrationsOptions } from './migrations/run';
