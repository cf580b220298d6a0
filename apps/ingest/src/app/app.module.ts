import { type DynamicModule, Module } from '@nestjs/common';
import { CheckpointStore, EventStore } from '@incident/event-store';
import { IncidentApiModule } from '@incident/incident-api';
import { MessagingModule } from '@incident/messaging';
import {
  type ApiKeyRecord,
  METRICS_REGISTRY,
  type ServiceConfig,
  ServiceRuntimeModule,
} from '@incident/service-runtime';
import type { Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ingestRouter } from '../relay/ingest-routes';
import { RelayMetrics } from '../relay/relay-metrics';
import { RemediationApiModule } from '../remediation-api/remediation-api.module';
import { SignalsModule } from '../signals/signals.module';
import { IncidentMetrics } from './incident-metrics';
import {
  INGEST_CONFIG,
  type IngestOverrides,
  loadIngestConfig,
  topicsToEnsure,
} from './ingest-config';

export interface IngestContext {
  config: ServiceConfig;
  apiKeys: readonly ApiKeyRecord[];
  env: NodeJS.ProcessEnv;
}

@Module({})
export class AppModule {
  /** Throws ConfigError naming every bad variable (main.ts exits 2 on it). */
  static forRoot(
    ctx: IngestContext,
    overrides: IngestOverrides = {},
  ): DynamicModule {
    const ingest = loadIngestConfig(ctx.env, overrides);
    return {
      module: AppModule,
      imports: [
        ServiceRuntimeModule.forRoot(ctx),
        MessagingModule.forRootAsync({
          inject: [DataSource, EventStore, METRICS_REGISTRY],
          useFactory: (
            dataSource: DataSource,
            store: EventStore,
            registry: Registry,
          ) => ({
            config: ingest.messaging,
            metrics: registry,
            lagOf: ingest.intake.enabled
              ? [
                  {
                    groupId: ingest.intake.groupId,
                    topics: [ingest.intake.topic],
                  },
                ]
              : [],
            topics: topicsToEnsure(ingest),
            relay: {
              dataSource,
              store,
              checkpoints: new CheckpointStore(dataSource),
              route: ingestRouter(ingest.topics),
            },
          }),
        }),
        SignalsModule.forRoot(ingest),
        // The public read side: incident list (read model), state folded from the log, audit.
        IncidentApiModule.forRoot(),
        // The remediation API, forwarded: users have one base URL (DESIGN.md, docs/decisions.md).
        RemediationApiModule.forRoot(ingest.remediation),
      ],
      providers: [
        { provide: INGEST_CONFIG, useValue: ingest },
        RelayMetrics,
        IncidentMetrics,
      ],
    };
  }
}
