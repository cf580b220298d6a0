import { z } from 'zod';
import { SignalSchema } from '../signals/signal';
import { legacyUserRef, UserRefSchema } from './user-ref';

export const SIGNAL_RECEIVED = 'SignalReceived';
/** The version ingest writes. */
export const SIGNAL_RECEIVED_VERSION = 2;

/** How the signal reached ingest; kept so an auditor can trace a signal to its publisher. */
export const SIGNAL_CHANNELS = ['http-json', 'http-log', 'alertmanager', 'kafka-intake'] as const;

/**
 * v1 of the first event every signal produces. `signalId` is the publisher's id, or one
 * derived from the content (Alertmanager: fingerprint + startsAt) so a resend is stored once.
 * Read only: it kept the publisher's `userId` in the hashed payload, where it can never be erased.
 */
export const SignalReceivedV1Schema = z.strictObject({
  signalId: z.string().min(1),
  channel: z.enum(SIGNAL_CHANNELS),
  signal: SignalSchema,
});
export type SignalReceivedV1 = z.infer<typeof SignalReceivedV1Schema>;

/**
 * v2: the signal as sent, less `userId`, which becomes the pseudonym `userRef` (docs/personal-data.md).
 * Why a new version rather than a pseudonym in `signal.userId`: a reader could not tell an old
 * event's plaintext from a new event's pseudonym, and would show the one as if it were the other.
 */
export const SignalReceivedV2Schema = z.strictObject({
  signalId: z.string().min(1),
  channel: z.enum(SIGNAL_CHANNELS),
  signal: SignalSchema.omit({ userId: true }),
  userRef: UserRefSchema.optional(),
});
export type SignalReceivedV2 = z.infer<typeof SignalReceivedV2Schema>;

/** v1 -> v2: the plaintext `signal.userId` is read as its legacy pseudonym. */
export function upcastSignalReceivedV1(payload: Record<string, unknown>): Record<string, unknown> {
  const signal = (payload['signal'] ?? {}) as Record<string, unknown>;
  const { userId, ...rest } = signal;
  return { ...payload, signal: rest, ...(typeof userId === 'string' ? { userRef: legacyUserRef(userId) } : {}) };
}
