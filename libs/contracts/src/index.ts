export * from './topics';
export * from './streams';
export * from './envelope';
export * from './signals/signal';
export * from './events/signal-received';
export * from './events/signal-classified';
export * from './events/traffic-sampled';
export * from './events/incident-vocabulary';
