import type { Consumer, Kafka, Producer } from 'kafkajs';

/**
 * Watches the kafkajs clients that messaging's IdempotentConsumer creates for itself, which it does
 * not expose: readiness needs to know that the consumer has joined its group and that the
 * dead-letter producer is connected. The consumer is handed a view of the Kafka client whose
 * `consumer()` and `producer()` register what they build here; everything else is the real client.
 */
export class KafkaMembership {
  private joined = false;
  private lastLoss = 'not started';
  private producersConnected = 0;

  watch(kafka: Kafka): Kafka {
    const view = Object.create(kafka) as Kafka;
    view.consumer = (config) => this.watchConsumer(kafka.consumer(config));
    view.producer = (config) => this.watchProducer(kafka.producer(config));
    return view;
  }

  /** Rejects with the reason when the intake is not ready, for the runtime's Readiness. */
  async check(): Promise<void> {
    if (!this.joined)
      throw new Error(`intake consumer is not in its group: ${this.lastLoss}`);
    if (this.producersConnected === 0)
      throw new Error('dead-letter producer is not connected');
  }

  private watchConsumer(consumer: Consumer): Consumer {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    const lost = (reason: string) => () => {
      this.joined = false;
      this.lastLoss = reason;
    };
    // Not REBALANCING: a rebalance (a replica came or went) is routine and brief, and taking every
    // replica out of the HTTP load balancer for it would refuse signals for nothing.
    consumer.on(consumer.events.CRASH, (event) =>
      lost(`crashed: ${event.payload.error.message}`)(),
    );
    consumer.on(consumer.events.STOP, lost('stopped'));
    consumer.on(consumer.events.DISCONNECT, lost('disconnected'));
    return consumer;
  }

  private watchProducer(producer: Producer): Producer {
    producer.on(
      producer.events.CONNECT,
      () => void (this.producersConnected += 1),
    );
    producer.on(
      producer.events.DISCONNECT,
      () =>
        void (this.producersConnected = Math.max(
          0,
          this.producersConnected - 1,
        )),
    );
    return producer;
  }
}
