import { DeadLetterHeaders } from '@incident/contracts';
import type { IHeaders, Message } from 'kafkajs';

export interface DeadLetterInput {
  topic: string;
  partition: number;
  offset: string;
  groupId: string;
  /** Why it could not be processed; the first thing an operator reads. */
  reason: string;
  /** Handler attempts made; 0 for a message that could not even be parsed. */
  attempts: number;
  failedAt: Date;
  message: { key: Buffer | string | null; value: Buffer | string | null; headers?: IHeaders };
}

// Brokers cap a whole record (message.max.bytes); a stack-sized reason must not push a
// dead letter over it and make the DLQ publish itself fail.
const MAX_REASON_LENGTH = 1_000;

/**
 * The dead-letter copy of a message: key, value and headers unchanged (so it can be replayed
 * onto its topic as it was, and still de-duplicated by event id), plus headers saying where it
 * came from and why it is here.
 */
export function buildDeadLetterMessage(input: DeadLetterInput): Message {
  const reason =
    input.reason.length > MAX_REASON_LENGTH ? `${input.reason.slice(0, MAX_REASON_LENGTH - 1)}…` : input.reason;
  return {
    key: input.message.key,
    value: input.message.value,
    headers: {
      ...input.message.headers,
      [DeadLetterHeaders.originalTopic]: input.topic,
      [DeadLetterHeaders.originalPartition]: String(input.partition),
      [DeadLetterHeaders.originalOffset]: input.offset,
      [DeadLetterHeaders.consumerGroup]: input.groupId,
      [DeadLetterHeaders.reason]: reason,
      [DeadLetterHeaders.attempts]: String(input.attempts),
      [DeadLetterHeaders.failedAt]: input.failedAt.toISOString(),
    },
  };
}
