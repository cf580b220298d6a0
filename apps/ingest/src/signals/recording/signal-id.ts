import { createHash } from 'node:crypto';
import {
  deterministicUuid,
  type Signal,
  SIGNAL_RECEIVED,
  type SIGNAL_CHANNELS,
} from '@incident/contracts';
import { canonicalJson } from '@incident/event-store';

export type SignalChannel = (typeof SIGNAL_CHANNELS)[number];

/**
 * The publisher's `id` when it gave one; otherwise the signal's content (channel + canonical JSON,
 * docs/architecture.md), so an identical resend, in any key order, is stored once. The channel
 * is part of it: the same text arriving over HTTP and over Kafka are two receptions.
 *
 * With `userRef`, the content names the user by that pseudonym instead of the userId: the id is
 * stored in the log, and a plain digest over the userId could be reversed by trying user ids
 * against the rest of the (stored) content, long after `incidentctl forget` (docs/personal-data.md).
 */
export function signalIdOf(channel: SignalChannel, signal: Signal, userRef?: string): string {
  if (signal.id !== undefined) return signal.id;
  const { userId, ...rest } = signal;
  const content = userId !== undefined && userRef !== undefined ? { ...rest, userRef } : signal;
  return createHash('sha256')
    .update(`${channel}\n${canonicalJson(content)}`, 'utf8')
    .digest('hex');
}

/** SignalReceived's event id follows from the signal id, so a retried append is a duplicate. */
export function signalReceivedEventId(signalId: string): string {
  return deterministicUuid(SIGNAL_RECEIVED, signalId);
}
