export * from './config/env-errors';
export * from './config/service-config';
export * from './auth/api-keys';
export * from './auth/api-key.guard';
export * from './health/readiness';
export * from './health/health.controller';
export * from './runtime.module';
export * from './bootstrap';
