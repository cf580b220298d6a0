import { type DynamicModule, Module } from '@nestjs/common';
import { TOPICS, Topics } from '@incident/contracts';
import { loadMessagingConfig, MessagingModule } from '@incident/messaging';
import { METRICS_REGISTRY, type RuntimeOptions, SERVICE_CONFIG, type ServiceConfig, ServiceRuntimeModule } from '@incident/service-runtime';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { correlateSignalHandler } from '../correlate-signal/correlate-signal';
import type { CorrelationDeps } from '../log/record-decision';
import { measureErrorRateHandler } from '../measure-error-rate/measure-error-rate';
import { CORRELATION_DEPS, CorrelationCoreModule } from './correlation-core.module';
import { loadCorrelationSettings } from './correlation-settings';

/** Where correlation reads from; production uses the defaults, integration tests topics of their own. */
export interface CorrelationWiring {
  groupId: string;
  classificationsTopic: string;
  /** TrafficSampled arrives here. */
  trafficTopic: string;
  /** Created at boot when missing. */
  topics: readonly { name: string; partitions: number }[];
}

const PRODUCTION: CorrelationWiring = { groupId: 'correlation', classificationsTopic: Topics.classifications, trafficTopic: Topics.traffic, topics: TOPICS };

@Module({})
export class AppModule {
  static forRoot(ctx: RuntimeOptions & { env: NodeJS.ProcessEnv }, wiring: Partial<CorrelationWiring> = {}): DynamicModule {
    const w = { ...PRODUCTION, ...wiring };
    // Read at boot so a bad variable stops the service before it takes any work.
    const settings = loadCorrelationSettings(ctx.env);
    const messaging = loadMessagingConfig(ctx.env, { clientId: 'correlation' });
    const core = CorrelationCoreModule.forRoot(settings);
    return {
      module: AppModule,
      imports: [
        ServiceRuntimeModule.forRoot(ctx),
        core,
        MessagingModule.forRootAsync({
          imports: [core],
          inject: [DataSource, SERVICE_CONFIG, CORRELATION_DEPS, METRICS_REGISTRY],
          useFactory: (dataSource: DataSource, config: ServiceConfig, deps: CorrelationDeps, registry: Registry) => ({
            config: messaging,
            metrics: registry,
            topics: w.topics,
            consumers: [
              {
                groupId: w.groupId,
                dataSource,
                schema: config.database.schema,
                handlers: [correlateSignalHandler(deps, w.classificationsTopic), measureErrorRateHandler(deps, w.trafficTopic)],
              },
            ],
          }),
        }),
      ],
    };
  }
}
