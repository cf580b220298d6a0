import type { DataSource } from 'typeorm';
import { type ClaimedMessage, handleClaimed, type MessageHandler } from './handler';
import { claimMessages } from './processed-messages';

export interface BatchTarget {
  /** Schema of processed_messages. */
  schema: string;
  /** The consumer name the claims are recorded under. */
  consumer: string;
  topic: string;
  partition: number;
}

/**
 * The effects of a batch of one partition's parsed messages, in one transaction: claim every
 * message id in one statement, run the handler on the ones claimed just now (in partition
 * order; a message already processed, or a second copy of one in this same batch, is skipped),
 * commit. Throws, having stored nothing, when any part fails. Returns how many were applied.
 */
export async function applyBatch<T>(
  dataSource: DataSource,
  handler: MessageHandler<T>,
  target: BatchTarget,
  messages: readonly ClaimedMessage<T>[],
): Promise<number> {
  if (messages.length === 0) return 0;
  return dataSource.transaction(async (manager) => {
    const claimed = await claimMessages(manager, target.schema, target.consumer, messages.map((m) => m.messageId));
    // delete(): the first copy of an id takes the claim, any later copy in the batch is a duplicate.
    const fresh = messages.filter((m) => claimed.delete(m.messageId));
    await handleClaimed(handler, fresh, { manager, topic: target.topic, partition: target.partition });
    return fresh.length;
  });
}
