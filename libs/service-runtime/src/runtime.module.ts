import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { createDataSource, EventStore, UpcasterRegistry } from '@incident/event-store';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ApiKeyGuard } from './auth/api-key.guard';
import { type ApiKeyRecord, ApiKeyRegistry } from './auth/api-keys';
import type { ServiceConfig } from './config/service-config';
import { HealthController, METRICS_REGISTRY } from './health/health.controller';
import { Readiness } from './health/readiness';
import { InstrumentedEventStore } from './event-log/instrumented-event-store';
import { eventUpcasters } from './event-log/upcasters';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');

export interface RuntimeOptions {
  config: ServiceConfig;
  apiKeys: readonly ApiKeyRecord[];
  /** Default: every schema change the contracts know (eventUpcasters). */
  upcasters?: UpcasterRegistry;
}

/**
 * What every service shares: config, API-key guard (deny by default), readiness, Prometheus
 * registry, and the event log's DataSource and EventStore. Global so feature modules stay thin.
 */
@Global()
@Module({})
export class ServiceRuntimeModule {
  static forRoot(options: RuntimeOptions): DynamicModule {
    const { config } = options;
    return {
      module: ServiceRuntimeModule,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: ApiKeyRegistry, useValue: new ApiKeyRegistry(options.apiKeys) },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        {
          provide: METRICS_REGISTRY,
          useFactory: () => {
            const registry = new Registry();
            registry.setDefaultLabels({ service: config.service });
            collectDefaultMetrics({ register: registry });
            return registry;
          },
        },
        {
          provide: DataSource,
          useFactory: async () => {
            const ds = createDataSource(config.database.url, {
              schema: config.database.schema,
              poolSize: config.database.poolSize,
              applicationName: config.service,
            });
            return ds.initialize();
          },
        },
        {
          provide: EventStore,
          inject: [DataSource, METRICS_REGISTRY],
          useFactory: (ds: DataSource, registry: Registry) => new InstrumentedEventStore(ds, { upcasters: options.upcasters ?? eventUpcasters(), registry }),
        },
        {
          provide: Readiness,
          inject: [DataSource],
          useFactory: (ds: DataSource) => {
            const readiness = new Readiness();
            readiness.register({ name: 'database', check: async () => void (await ds.query('SELECT 1')) });
            return readiness;
          },
        },
        DataSourceCloser,
      ],
      exports: [SERVICE_CONFIG, ApiKeyRegistry, METRICS_REGISTRY, DataSource, EventStore, Readiness],
    };
  }
}

/** Closes the pool last: Nest calls shutdown hooks after consumers and the relay have stopped. */
@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}
