export * from './topics';
export * from './envelope';
export * from './signals/signal';
export * from './events/signal-received';
export * from './events/incident-vocabulary';
