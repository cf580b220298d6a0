export * from './issues';
export * from './log-format';
export * from './alertmanager';
export * from './json-signals';
export * from './cloudevents';
