export * from './commands';
export * from './errors';
export * from './decide-responder';
