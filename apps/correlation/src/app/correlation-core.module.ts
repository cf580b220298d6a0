import { type DynamicModule, Inject, Injectable, Logger, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { EventStore } from '@incident/event-store';
import { POLICY_V1 } from '@incident/incident-domain';
import { METRICS_REGISTRY, SERVICE_CONFIG, type ServiceConfig } from '@incident/service-runtime';
import { Counter, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { ResolveTimerPoller } from '../fire-resolve-timers/resolve-timer-poller';
import { FoldedStreams } from '../log/folded-streams';
import { IncidentsReadModel } from '../log/incidents-read-model';
import type { CorrelationDeps } from '../log/record-decision';
import type { CorrelationSettings } from './correlation-settings';

export const CORRELATION_DEPS = Symbol('CORRELATION_DEPS');
const CORRELATION_SETTINGS = Symbol('CORRELATION_SETTINGS');

function correlationDeps(settings: CorrelationSettings, store: EventStore, dataSource: DataSource, config: ServiceConfig, registry: Registry): CorrelationDeps {
  const schema = config.database.schema;
  const conflicts = new Counter({ name: 'correlation_conflicts_total', help: 'Decisions taken again after a stream version conflict', registers: [registry] });
  const decisions = new Counter({
    name: 'correlation_decisions_total',
    help: 'Correlation decisions, by command and by the first event decided (none when nothing changed)',
    labelNames: ['command', 'outcome'],
    registers: [registry],
  });
  return {
    store,
    schema,
    policy: POLICY_V1,
    maxConflictRetries: settings.maxConflictRetries,
    streams: new FoldedStreams(store, dataSource, schema, POLICY_V1, settings.cache),
    readModel: new IncidentsReadModel(schema),
    metrics: {
      conflict: () => conflicts.inc(),
      decided: (command, d) => decisions.inc({ command, outcome: d.incidentEvents[0]?.type ?? d.correlationEvents[0]?.type ?? 'none' }),
    },
  };
}

/** Starts the resolve-timer poller with the app and stops it before the pool closes. */
@Injectable()
class ResolveTimerPollerRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly poller: ResolveTimerPoller;

  constructor(@Inject(DataSource) dataSource: DataSource, @Inject(CORRELATION_DEPS) deps: CorrelationDeps, @Inject(CORRELATION_SETTINGS) settings: CorrelationSettings) {
    const logger = new Logger('ResolveTimers');
    this.poller = new ResolveTimerPoller(dataSource, deps, {
      intervalMs: settings.timers.pollIntervalMs,
      batch: settings.timers.batch,
      logger: { warn: (message, context) => logger.warn(`${message} ${JSON.stringify(context ?? {})}`) },
    });
  }

  onApplicationBootstrap(): void {
    this.poller.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.poller.stop();
  }
}

/** The correlation log access every slice shares, built once from the runtime's DataSource and store. */
@Module({})
export class CorrelationCoreModule {
  static forRoot(settings: CorrelationSettings): DynamicModule {
    return {
      module: CorrelationCoreModule,
      providers: [
        { provide: CORRELATION_SETTINGS, useValue: settings },
        {
          provide: CORRELATION_DEPS,
          inject: [EventStore, DataSource, SERVICE_CONFIG, METRICS_REGISTRY],
          useFactory: (store: EventStore, dataSource: DataSource, config: ServiceConfig, registry: Registry) =>
            correlationDeps(settings, store, dataSource, config, registry),
        },
        ResolveTimerPollerRunner,
      ],
      exports: [CORRELATION_DEPS],
    };
  }
}
