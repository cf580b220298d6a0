import type { Kafka } from 'kafkajs';
import { decodeHeaders, type MessageHeaders } from '../consumer/parse-message';
import { uniqueName } from './int-env';

export interface ReadMessage {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: MessageHeaders;
}

/**
 * Reads a topic from the beginning with a throw-away consumer group until `count` messages have
 * arrived, in partition order (Kafka promises no order across partitions).
 */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 20_000): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), allowAutoTopicCreation: false });
  const received: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${received.length}/${count} messages of ${topic}`)), timeoutMs);
      if (count === 0) {
        clearTimeout(timer);
        resolve();
        return;
      }
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          received.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? null,
            value: message.value?.toString() ?? null,
            headers: decodeHeaders(message.headers),
          });
          if (received.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      }).catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return received.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}
