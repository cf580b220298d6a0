import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { shutdownTracing, tracingSettings } from '@incident/telemetry';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { type ApiKeyRecord, loadApiKeys } from './auth/api-keys';
import { ConfigError } from './config/env-errors';
import { loadServiceConfig, type ServiceConfig } from './config/service-config';
import { METRICS_REGISTRY } from './health/health.controller';
import { Readiness } from './health/readiness';
import { BodyErrorsFilter } from './http/body-errors';
import { stopOnSignals } from './lifecycle/stop-on-signals';
import { createLogger, NestPinoLogger } from './logging/logger';
import { HttpMetrics, requestObserver } from './logging/request-log';
import { configuredSecrets } from './logging/secrets';

export interface ServiceDefinition {
  name: string;
  defaultPort: number;
  /** Body limit for JSON and text bodies (the public API allows 1 MiB). */
  bodyLimit?: string;
  module: (ctx: { config: ServiceConfig; apiKeys: readonly ApiKeyRecord[]; env: NodeJS.ProcessEnv }) => DynamicModule;
  /** Express middleware that must see every request, those the body parsers refuse (413, bad JSON) included. */
  beforeBodyParsers?: (app: NestExpressApplication) => void;
  /** Runs after the app is created and before init: routes added here (OpenAPI) come before Nest's 404 handler. */
  beforeInit?: (app: NestExpressApplication) => void;
}

/**
 * The one way a service starts: validate config (exit 2 naming each bad variable), create the
 * Nest app with bounded body parsers and JSON logs (pino), answer body errors as JSON, log and
 * count every request, stop cleanly and in bounded time on SIGTERM/SIGINT (stopOnSignals).
 * Tracing, when configured, was started before any of this loaded (the service's src/tracing.ts).
 */
export async function startService(def: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<NestExpressApplication> {
  let config: ServiceConfig;
  let apiKeys: ApiKeyRecord[];
  try {
    config = loadServiceConfig(def.name, def.defaultPort, env);
    apiKeys = loadApiKeys(env, config.environment);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${def.name}: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ service: def.name, level: config.logLevel, secrets: configuredSecrets(env) });
  const app = await NestFactory.create<NestExpressApplication>(def.module({ config, apiKeys, env }), {
    bodyParser: false,
    logger: new NestPinoLogger(logger),
  });
  // First of all middleware, so that each answered request is logged and counted, refusals of
  // the body parsers included.
  app.use(requestObserver(logger, new HttpMetrics(app.get(METRICS_REGISTRY))));
  def.beforeBodyParsers?.(app);
  const limit = def.bodyLimit ?? '1mb';
  app.useBodyParser('json', { limit });
  app.useBodyParser('text', { limit, type: 'text/plain' });
  app.disable('x-powered-by');
  app.useGlobalFilters(new BodyErrorsFilter(app.getHttpAdapter()));
  def.beforeInit?.(app);
  await app.init();
  const readiness = app.get(Readiness);
  stopOnSignals({
    logger,
    timeoutMs: config.shutdownTimeoutMs,
    drain: () => readiness.startDraining(),
    close: () => app.close(),
    flush: shutdownTracing,
  });
  await app.listen(config.http.port, config.http.host);
  const tracing = tracingSettings(def.name, env);
  logger.info(
    { environment: config.environment, tracing: tracing.enabled ? tracing.reason : 'off' },
    `listening on http://${config.http.host}:${config.http.port} (${config.environment})`,
  );
  return app;
}
