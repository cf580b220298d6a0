import { type BeforeApplicationShutdown, type DynamicModule, Inject, Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TOPICS, Topics } from '@incident/contracts';
import { EventStore } from '@incident/event-store';
import { loadMessagingConfig, MessagingModule } from '@incident/messaging';
import { METRICS_REGISTRY, type RuntimeOptions, SERVICE_CONFIG, type ServiceConfig, ServiceRuntimeModule } from '@incident/service-runtime';
import { Counter, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { draftPostmortemHandler } from '../draft-postmortem/draft-postmortem';
import { OverduePoller } from '../flag-overdue/overdue-poller';
import { PostmortemDueReadModel } from '../log/postmortem-due';
import type { PostmortemDeps } from '../log/postmortem-log';
import { loadPostmortemSettings, type PostmortemSettings } from './postmortem-config';

/** Where the postmortem service reads from; production uses the defaults, integration tests topics of their own. */
export interface PostmortemWiring {
  groupId: string;
  incidentsTopic: string;
  /** Created at boot when missing. */
  topics: readonly { name: string; partitions: number }[];
}

const PRODUCTION: PostmortemWiring = { groupId: 'postmortem', incidentsTopic: Topics.incidents, topics: TOPICS };
const POSTMORTEM_DEPS = Symbol('POSTMORTEM_DEPS');
const POSTMORTEM_SETTINGS = Symbol('POSTMORTEM_SETTINGS');

function postmortemDeps(store: EventStore, config: ServiceConfig, registry: Registry): PostmortemDeps {
  const decisions = new Counter({
    name: 'postmortem_decisions_total',
    help: 'Postmortem decisions, by command and by the event decided (none when nothing changed)',
    labelNames: ['command', 'outcome'],
    registers: [registry],
  });
  return {
    store,
    due: new PostmortemDueReadModel(config.database.schema),
    metrics: { decided: (command, events) => decisions.inc({ command, outcome: events[0]?.type ?? 'none' }) },
  };
}

/** Starts the overdue poller with the app and stops it before the pool closes. */
@Injectable()
class OverduePollerRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly poller: OverduePoller;

  constructor(@Inject(DataSource) dataSource: DataSource, @Inject(POSTMORTEM_DEPS) deps: PostmortemDeps, @Inject(POSTMORTEM_SETTINGS) settings: PostmortemSettings) {
    const logger = new Logger('OverdueTimers');
    this.poller = new OverduePoller(dataSource, deps, {
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

/** The postmortem's log access, built once from the runtime's DataSource and store. */
@Module({})
class PostmortemCoreModule {
  static forRoot(settings: PostmortemSettings): DynamicModule {
    return {
      module: PostmortemCoreModule,
      providers: [
        { provide: POSTMORTEM_SETTINGS, useValue: settings },
        {
          provide: POSTMORTEM_DEPS,
          inject: [EventStore, SERVICE_CONFIG, METRICS_REGISTRY],
          useFactory: (store: EventStore, config: ServiceConfig, registry: Registry) => postmortemDeps(store, config, registry),
        },
        OverduePollerRunner,
      ],
      exports: [POSTMORTEM_DEPS],
    };
  }
}

@Module({})
export class AppModule {
  static forRoot(ctx: RuntimeOptions & { env: NodeJS.ProcessEnv }, wiring: Partial<PostmortemWiring> = {}): DynamicModule {
    const w = { ...PRODUCTION, ...wiring };
    // Read at boot so a bad variable stops the service before it takes any work.
    const settings = loadPostmortemSettings(ctx.env);
    const messaging = loadMessagingConfig(ctx.env, { clientId: 'postmortem' });
    const core = PostmortemCoreModule.forRoot(settings);
    return {
      module: AppModule,
      imports: [
        ServiceRuntimeModule.forRoot(ctx),
        core,
        MessagingModule.forRootAsync({
          imports: [core],
          inject: [DataSource, SERVICE_CONFIG, POSTMORTEM_DEPS, METRICS_REGISTRY],
          useFactory: (dataSource: DataSource, config: ServiceConfig, deps: PostmortemDeps, registry: Registry) => ({
            config: messaging,
            metrics: registry,
            topics: w.topics,
            consumers: [{ groupId: w.groupId, dataSource, schema: config.database.schema, handlers: [draftPostmortemHandler(deps, w.incidentsTopic)] }],
          }),
        }),
      ],
    };
  }
}
