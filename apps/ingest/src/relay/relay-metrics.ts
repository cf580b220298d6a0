import { MessagingRuntime } from '@incident/messaging';
import { METRICS_REGISTRY } from '@incident/service-runtime';
import { Inject, Injectable } from '@nestjs/common';
import { Gauge, type Registry } from 'prom-client';

/**
 * The relay's state on /metrics, read at scrape time. Only the replica holding the lock publishes,
 * so alert on max(ingest_relay_failing) and on sum(ingest_relay_holds_lock) == 0 for too long.
 */
@Injectable()
export class RelayMetrics {
  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(MessagingRuntime) messaging: MessagingRuntime,
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
  }
}
