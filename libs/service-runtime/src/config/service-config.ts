import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../logging/log-levels';
import { ConfigError, envProblems } from './env-errors';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);

// Keyed by the variable names, so each issue names what an operator must fix (STYLE.md 9).
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string({ error: 'is not set; e.g. postgres://incident_app@127.0.0.1:5432/incidents' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  EVENT_LOG_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lowercase SQL identifier').default('event_log'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(20_000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
});

export interface ServiceConfig {
  service: string;
  environment: 'development' | 'test' | 'production';
  http: { host: string; port: number };
  database: { url: string; schema: string; poolSize: number };
  shutdownTimeoutMs: number;
  /** LOG_LEVEL; info when a test builds a config by hand. */
  logLevel?: LogLevel;
}

/**
 * Reads a service's common settings. `defaultPort` differs per service so that `npm start`
 * can run all five on one machine; `<SERVICE>_PORT` (e.g. INGEST_PORT) or HTTP_PORT overrides it.
 */
export function loadServiceConfig(service: string, defaultPort: number, env: NodeJS.ProcessEnv): ServiceConfig {
  const portVar = `${service.toUpperCase().replace(/-/g, '_')}_PORT`;
  const parsed = EnvSchema.extend({ [portVar]: port(defaultPort), HTTP_PORT: z.coerce.number().int().min(1).max(65_535).optional() }).safeParse(env);
  if (!parsed.success) throw new ConfigError(envProblems(parsed.error));
  const e = parsed.data as z.infer<typeof EnvSchema> & Record<string, number | undefined>;
  return {
    service,
    environment: e.NODE_ENV,
    http: { host: e.HTTP_HOST, port: e['HTTP_PORT'] ?? (e[portVar] as number) },
    database: { url: e.DATABASE_URL, schema: e.EVENT_LOG_SCHEMA, poolSize: e.DATABASE_POOL_SIZE },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
  };
}
