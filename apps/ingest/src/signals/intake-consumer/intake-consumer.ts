import { EventStore } from '@incident/event-store';
import {
  IdempotentConsumer,
  KAFKA,
  type MessagingConfig,
  MessagingRuntime,
} from '@incident/messaging';
import {
  Readiness,
  SERVICE_CONFIG,
  type ServiceConfig,
} from '@incident/service-runtime';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../../app/ingest-config';
import { intakeHandler } from './intake-handler';
import { KafkaMembership } from './kafka-membership';

const MAX_RESTART_DELAY_MS = 30_000;

/**
 * Runs the intake topic's consumer: messaging's IdempotentConsumer with the intake handler, so a
 * malformed message is dead-lettered with its reason and the partition moves on, and an offset
 * is committed only after the append committed.
 *
 * Started in the background: a broker that is down at boot must not keep the HTTP intake (which
 * needs only the log) from starting; readiness says "not joined" meanwhile.
 */
@Injectable()
export class IntakeConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IntakeConsumer');
  private readonly membership = new KafkaMembership();
  private consumer?: IdempotentConsumer;
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(SERVICE_CONFIG) private readonly service: ServiceConfig,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    @Inject(Readiness) readiness: Readiness,
    @Inject(MessagingRuntime) private readonly messaging: MessagingRuntime,
  ) {
    if (config.intake.enabled)
      readiness.register({
        name: 'kafka-intake',
        check: () => this.membership.check(),
      });
  }

  onApplicationBootstrap(): void {
    if (this.config.intake.enabled) this.running = this.startUntilJoined();
  }

  /** Before the pool closes (onApplicationShutdown): the message in hand finishes its transaction. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    await this.consumer?.stop();
  }

  private async startUntilJoined(): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      const consumer = this.build(this.config.messaging);
      try {
        await consumer.start();
        this.consumer = consumer;
        return;
      } catch (error) {
        await consumer.stop().catch(() => undefined);
        const delay = Math.min(500 * 2 ** attempt, MAX_RESTART_DELAY_MS);
        this.logger.warn(
          `could not start the intake consumer (attempt ${attempt}), retrying in ${delay} ms: ${(error as Error).message}`,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  private build(messaging: MessagingConfig): IdempotentConsumer {
    const { intake } = this.config;
    return new IdempotentConsumer(
      { kafka: this.membership.watch(this.kafka), dataSource: this.dataSource },
      [intakeHandler(intake.topic, this.store)],
      {
        groupId: intake.groupId,
        schema: this.service.database.schema,
        deadLetterTopic: messaging.deadLetterTopic,
        maxAttempts: messaging.consumer.maxAttempts,
        retryBackoffMs: messaging.consumer.retryBackoffMs,
        maxBatchSize: messaging.consumer.maxBatchSize,
        partitionsConsumedConcurrently:
          messaging.consumer.partitionsConsumedConcurrently,
        logger: this.logger,
        onDeadLettered: this.messaging.deadLettered,
      },
    );
  }
}
