export * from './policy';
export * from './events';
export * from './commands';
export * from './incident-state';
export * from './correlation-state';
export * from './severity';
export * from './correlate';
export * from './responder';
