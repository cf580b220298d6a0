import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { CheckpointStore, EventStore } from '@incident/event-store';
import { type Kafka, type logCreator, logLevel } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { createKafka, ensureTopics } from '../config/kafka-factory';
import type { MessagingConfig } from '../config/messaging-config';
import { IdempotentConsumer, type MessageHandler } from '../consumer/idempotent-consumer';
import type { TopicRouter } from '../relay/event-message';
import { Relay, type RelayStatus } from '../relay/relay';
import { ConsumerLagMonitor } from '../metrics/consumer-lag';
import { MessagingMetrics } from '../metrics/messaging-metrics';

export const KAFKA = Symbol('KAFKA');
export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');

export interface MessagingModuleOptions {
  config: MessagingConfig;
  /** Topics to create at boot if missing (e.g. contracts' TOPICS); left alone when absent. */
  topics?: readonly { name: string; partitions: number }[];
  /** Required when `config.relay.enabled`. */
  relay?: { dataSource: DataSource; store: EventStore; checkpoints: CheckpointStore; route: TopicRouter };
  consumers?: readonly {
    groupId: string;
    dataSource: DataSource;
    /** Schema of processed_messages (the event store's). */
    schema: string;
    handlers: readonly MessageHandler<unknown>[];
  }[];
  /** The service's Prometheus registry: dead letters and consumer-group lag are reported there. */
  metrics?: Registry;
  /** Consumer groups run outside this module (ingest's intake) whose lag is reported as well. */
  lagOf?: readonly { groupId: string; topics: readonly string[] }[];
}

export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory: (...args: never[]) => MessagingModuleOptions | Promise<MessagingModuleOptions>;
}

/**
 * Owns the lifetime of the relay and the consumers: they start once every module is ready and
 * stop on shutdown (the app must call `enableShutdownHooks()` for SIGTERM to reach this).
 * Everything it runs is the framework-free code next to it; this is only the wiring.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  private readonly relay?: Relay;
  private readonly consumers: IdempotentConsumer[];
  private readonly lag?: ConsumerLagMonitor;
  private readonly metrics?: MessagingMetrics;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(KAFKA) private readonly kafka: Kafka,
  ) {
    const { config } = options;
    const metrics = options.metrics ? new MessagingMetrics(options.metrics) : undefined;
    this.metrics = metrics;
    if (config.relay.enabled) {
      if (!options.relay) throw new Error('RELAY_ENABLED is true but MessagingModule was given no relay dependencies');
      this.relay = new Relay(
        { kafka, ...options.relay },
        { route: options.relay.route, name: config.relay.name, batchSize: config.relay.batchSize, pollIntervalMs: config.relay.pollIntervalMs, sendTimeoutMs: config.relay.sendTimeoutMs, logger: this.logger },
      );
    }
    this.consumers = (options.consumers ?? []).map(
      (c) =>
        new IdempotentConsumer({ kafka, dataSource: c.dataSource }, c.handlers, {
          groupId: c.groupId,
          schema: c.schema,
          deadLetterTopic: config.deadLetterTopic,
          maxAttempts: config.consumer.maxAttempts,
          retryBackoffMs: config.consumer.retryBackoffMs,
          maxBatchSize: config.consumer.maxBatchSize,
          partitionsConsumedConcurrently: config.consumer.partitionsConsumedConcurrently,
          logger: this.logger,
          ...(metrics ? { onDeadLettered: (letter) => metrics.deadLettered(letter), onBatchCommitted: (batch) => metrics.batchCommitted(batch) } : {}),
        }),
    );
    const groups = [...(options.consumers ?? []).map((c) => ({ groupId: c.groupId, topics: c.handlers.map((h) => h.topic) })), ...(options.lagOf ?? [])];
    if (metrics && groups.length > 0) {
      this.lag = new ConsumerLagMonitor(kafka, groups, (lags) => metrics.consumerLag(lags), { logger: this.logger });
    }
  }

  /** For a consumer run outside this module (IdempotentConsumerOptions.onDeadLettered). */
  readonly deadLettered = (letter: { groupId: string; topic: string; attempts: number }): void => this.metrics?.deadLettered(letter);

  /** For readiness probes and metrics. */
  relayStatus(): RelayStatus | undefined {
    return this.relay?.status();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.topics) await ensureTopics(this.kafka, this.options.topics);
    for (const consumer of this.consumers) await consumer.start();
    this.relay?.start();
    this.lag?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lag?.stop();
    // Relay first: it finishes its batch and checkpoints while the database is still there.
    await this.relay?.stop();
    await Promise.all(this.consumers.map((c) => c.stop()));
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return MessagingModule.build([], { provide: MESSAGING_OPTIONS, useValue: options });
  }

  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return MessagingModule.build(options.imports ?? [], {
      provide: MESSAGING_OPTIONS,
      inject: options.inject ?? [],
      useFactory: options.useFactory as (...args: unknown[]) => MessagingModuleOptions,
    });
  }

  private static build(imports: ModuleMetadata['imports'], optionsProvider: Provider): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports,
      providers: [
        optionsProvider,
        { provide: KAFKA, inject: [MESSAGING_OPTIONS], useFactory: (o: MessagingModuleOptions) => createKafka(o.config.kafka, nestLogCreator) },
        MessagingRuntime,
      ],
      exports: [KAFKA, MessagingRuntime],
    };
  }
}

/** kafkajs logs through Nest's logger, so into the service's JSON logs rather than its own format. */
const nestLogCreator: logCreator = () => {
  const logger = new Logger('kafkajs');
  return ({ namespace, level, log }) => {
    const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
    const context = { namespace, ...fields };
    if (level === logLevel.ERROR) logger.error(message, context);
    else if (level === logLevel.WARN) logger.warn(message, context);
    else if (level === logLevel.INFO) logger.log(message, context);
    else logger.debug(message, context);
  };
};
