import { CheckpointStore } from '@incident/event-store';
import { MessagingRuntime } from '@incident/messaging';
import { METRICS_REGISTRY, SERVICE_CONFIG, type ServiceConfig } from '@incident/service-runtime';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { INGEST_CONFIG, type IngestConfig } from '../app/ingest-config';

/** Counting stops here: past it the relay is far behind whatever the exact number is, and the count stays cheap. */
export const RELAY_LAG_CAP = 100_000;

/**
 * The relay's state on /metrics, read at scrape time. Only the replica holding the lock publishes,
 * so alert on max(ingest_relay_failing) and on sum(ingest_relay_holds_lock) == 0 for too long.
 * ingest_relay_lag_events is the same on every replica (read from the log and the checkpoint).
 */
@Injectable()
export class RelayMetrics {
  private readonly logger = new Logger('RelayMetrics');

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(MessagingRuntime) messaging: MessagingRuntime,
    @Inject(DataSource) dataSource: DataSource,
    @Inject(SERVICE_CONFIG) service: ServiceConfig,
    @Inject(INGEST_CONFIG) ingest: IngestConfig,
  ) {
    new Gauge({
      name: 'ingest_relay_holds_lock',
      help: '1 when this replica holds the relay lock and publishes the log to Kafka',
      registers: [registry],
      collect() {
        this.set(messaging.relayStatus()?.holdsLock ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ingest_relay_failing',
      help: '1 while the relay retries a failed batch (broker down, or an event type with no route): nothing later is published',
      registers: [registry],
      collect() {
        this.set(messaging.relayStatus()?.lastError !== undefined ? 1 : 0);
      },
    });
    const checkpoints = new CheckpointStore(dataSource);
    const events = `"${service.database.schema}".events`;
    const logger = this.logger;
    new Gauge({
      name: 'ingest_relay_lag_events',
      help: `Events committed to the log but not yet published to Kafka (after the relay's checkpoint; counted up to ${RELAY_LAG_CAP})`,
      registers: [registry],
      async collect() {
        try {
          const at = await checkpoints.load(ingest.messaging.relay.name);
          // The (transaction_id, global_position) index the relay reads by; LIMIT keeps a huge backlog cheap to count.
          const rows: { n: number }[] = await dataSource.query(
            `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${events} WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint) LIMIT ${RELAY_LAG_CAP}) AS behind`,
            [at.transactionId, at.globalPosition],
          );
          this.set(rows[0].n);
        } catch (error) {
          // A scrape must not fail because the log is briefly away: the value stays the last one.
          logger.warn('relay lag: cannot count', { error: error instanceof Error ? error.message : String(error) });
        }
      },
    });
  }
}
