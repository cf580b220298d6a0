import { createScratchEventStore, createTopics, deleteTopics, type ScratchEventStore, testKafka, uniqueName } from '@incident/testing';
import type { Kafka, Producer } from 'kafkajs';

/** The topics correlation reads, and its dead letters, named for one spec file. */
export interface CorrelationTopics {
  classifications: string;
  traffic: string;
  deadLetter: string;
}

/**
 * What a correlation integration spec stands on: a scratch schema, the real broker with topics of
 * its own, and a connected producer. `dispose` takes it all down again (stop consumers first).
 */
export interface CorrelationIntEnv {
  log: ScratchEventStore;
  kafka: Kafka;
  producer: Producer;
  topics: CorrelationTopics;
  dispose(): Promise<void>;
}

export async function correlationIntEnv(name: string, opts: { partitions: number; poolSize?: number }): Promise<CorrelationIntEnv> {
  const topic = uniqueName(name);
  const topics: CorrelationTopics = { classifications: topic, traffic: `${topic}-traffic`, deadLetter: `${topic}-dlq` };
  const log = await createScratchEventStore(opts.poolSize ? { poolSize: opts.poolSize } : {});
  const kafka = testKafka(name);
  await createTopics(kafka, Object.values(topics), opts.partitions);
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return {
    log, kafka, producer, topics,
    async dispose() {
      await producer.disconnect();
      await deleteTopics(kafka, Object.values(topics));
      await log.dispose();
    },
  };
}
