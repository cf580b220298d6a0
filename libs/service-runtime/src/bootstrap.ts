import type { DynamicModule } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { type ApiKeyRecord, loadApiKeys } from './auth/api-keys';
import { ConfigError } from './config/env-errors';
import { loadServiceConfig, type ServiceConfig } from './config/service-config';
import { Readiness } from './health/readiness';

export interface ServiceDefinition {
  name: string;
  defaultPort: number;
  /** Body limit for JSON and text bodies (the public API allows 1 MiB). */
  bodyLimit?: string;
  module: (ctx: { config: ServiceConfig; apiKeys: readonly ApiKeyRecord[]; env: NodeJS.ProcessEnv }) => DynamicModule;
  /** Runs after the app is created and before init: routes added here (OpenAPI) come before Nest's 404 handler. */
  beforeInit?: (app: NestExpressApplication) => void;
}

/**
 * The one way a service starts: validate config (exit 2 naming each bad variable), create the
 * Nest app with bounded body parsers, answer body errors as JSON, stop cleanly on SIGTERM/SIGINT.
 */
export async function startService(def: ServiceDefinition, env: NodeJS.ProcessEnv = process.env): Promise<NestExpressApplication> {
  const logger = new Logger(def.name);
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
  const app = await NestFactory.create<NestExpressApplication>(def.module({ config, apiKeys, env }), { bodyParser: false });
  const limit = def.bodyLimit ?? '1mb';
  app.useBodyParser('json', { limit });
  app.useBodyParser('text', { limit, type: 'text/plain' });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  app.disable('x-powered-by');
  def.beforeInit?.(app);
  await app.init();
  app.use(bodyErrorsAsJson);
  const readiness = app.get(Readiness);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => readiness.startDraining());
  await app.listen(config.http.port, config.http.host);
  logger.log(`listening on http://${config.http.host}:${config.http.port} (${config.environment})`);
  return app;
}

/** body-parser errors reach Express, not Nest's filters: answer them in the API's JSON shape. */
function bodyErrorsAsJson(err: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction) {
  if (!err || res.headersSent) return next(err);
  const status = err.type === 'entity.too.large' ? 413 : err.type === 'entity.parse.failed' ? 400 : err.status ?? 500;
  const message = err.type === 'entity.too.large' ? 'the request body is over the size limit' : err.type === 'entity.parse.failed' ? 'the request body is not valid JSON' : err.message;
  res.status(status).json({ error: status === 413 ? 'payload_too_large' : status === 400 ? 'bad_request' : 'error', message });
}
