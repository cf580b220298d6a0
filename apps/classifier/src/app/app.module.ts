import { type DynamicModule, Module } from '@nestjs/common';
import { TOPICS, Topics } from '@incident/contracts';
import { EventStore } from '@incident/event-store';
import { loadMessagingConfig, MessagingModule } from '@incident/messaging';
import { type RuntimeOptions, METRICS_REGISTRY, SERVICE_CONFIG, type ServiceConfig, ServiceRuntimeModule } from '@incident/service-runtime';
import { Counter, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { classifySignalHandler } from '../classify-signal/classify-signal.handler';

/** Where the classifier reads from; production uses the defaults, integration tests topics of their own. */
export interface ClassifierWiring {
  groupId: string;
  signalsTopic: string;
  /** Created at boot when missing. */
  topics: readonly { name: string; partitions: number }[];
}

const PRODUCTION: ClassifierWiring = { groupId: 'classifier', signalsTopic: Topics.signals, topics: TOPICS };

@Module({})
export class AppModule {
  static forRoot(ctx: RuntimeOptions & { env: NodeJS.ProcessEnv }, wiring: Partial<ClassifierWiring> = {}): DynamicModule {
    const w = { ...PRODUCTION, ...wiring };
    // Read at boot so a bad KAFKA_* variable stops the service before it takes any work.
    const messaging = loadMessagingConfig(ctx.env, { clientId: 'classifier' });
    return {
      module: AppModule,
      imports: [
        ServiceRuntimeModule.forRoot(ctx),
        MessagingModule.forRootAsync({
          inject: [DataSource, EventStore, SERVICE_CONFIG, METRICS_REGISTRY],
          useFactory: (dataSource: DataSource, store: EventStore, config: ServiceConfig, registry: Registry) => {
            const classified = new Counter({
              name: 'classifier_signals_classified_total',
              help: 'Signals classified, by incident type',
              labelNames: ['type'],
              registers: [registry],
            });
            const handler = classifySignalHandler({ store, topic: w.signalsTopic, onClassified: (type) => classified.inc({ type }) });
            return {
              config: messaging,
              metrics: registry,
              topics: w.topics,
              consumers: [{ groupId: w.groupId, dataSource, schema: config.database.schema, handlers: [handler] }],
            };
          },
        }),
      ],
    };
  }
}
