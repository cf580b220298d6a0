import { EventStore } from '@incident/event-store';
import { METRICS_REGISTRY } from '@incident/service-runtime';
import {
  type DynamicModule,
  Logger,
  type MiddlewareConsumer,
  Module,
  type NestModule,
} from '@nestjs/common';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../app/ingest-config';
import { requestIdMiddleware } from './http/request-context';
import { IntakeConsumer } from './intake-consumer/intake-consumer';
import { IngestMetrics } from './metrics';
import { PostAlertmanagerController } from './post-alertmanager/post-alertmanager.controller';
import { PostLogsController } from './post-logs/post-logs.controller';
import { PostSignalsController } from './post-signals/post-signals.controller';
import { PostTrafficController } from './post-traffic/post-traffic.controller';
import { SourceRateLimiter } from './rate-limit/source-rate-limiter';
import { Recorder } from './recording/recorder';

const CONTROLLERS = [
  PostSignalsController,
  PostLogsController,
  PostAlertmanagerController,
  PostTrafficController,
];

/** The signal side of ingest: the HTTP intake endpoints and the Kafka intake consumer. */
@Module({})
export class SignalsModule implements NestModule {
  static forRoot(config: IngestConfig): DynamicModule {
    const logger = new Logger('Signals');
    return {
      module: SignalsModule,
      controllers: CONTROLLERS,
      providers: [
        { provide: INGEST_CONFIG, useValue: config },
        {
          provide: IngestMetrics,
          inject: [METRICS_REGISTRY],
          useFactory: (registry: Registry) => new IngestMetrics(registry),
        },
        {
          provide: Recorder,
          inject: [DataSource, EventStore, IngestMetrics],
          useFactory: (
            dataSource: DataSource,
            store: EventStore,
            metrics: IngestMetrics,
          ) =>
            new Recorder(
              { dataSource, store },
              new SourceRateLimiter(config.rateLimit),
              metrics,
              {
                commitTimeoutMs: config.commitTimeoutMs,
                unavailableRetryAfterSeconds:
                  config.unavailableRetryAfterSeconds,
                warn: (message) => logger.warn(message),
              },
            ),
        },
        IntakeConsumer,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(requestIdMiddleware).forRoutes(...CONTROLLERS);
  }
}
