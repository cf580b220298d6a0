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
 */
export function signalIdOf(channel: SignalChannel, signal: Signal): string {
  if (signal.id !== undefined) return signal.id;
  return createHash('sha256')
    .update(`${channel}\n${canonicalJson(signal)}`, 'utf8')
    .digest('hex');
}

/** SignalReceived's event id follows from the signal id, so a retried append is a duplicate. */
export function signalReceivedEventId(signalId: string): string {
  return deterministicUuid(SIGNAL_RECEIVED, signalId);
}
