import { z } from 'zod';
import { SignalSchema } from '../signals/signal';

export const SIGNAL_RECEIVED = 'SignalReceived';

/** How the signal reached ingest; kept so an auditor can trace a signal to its publisher. */
export const SIGNAL_CHANNELS = ['http-json', 'http-log', 'alertmanager', 'kafka-intake'] as const;

/**
 * v1 of the first event every signal produces. `signalId` is the publisher's id, or one
 * derived from the content (Alertmanager: fingerprint + startsAt) so a resend is stored once.
 */
export const SignalReceivedV1Schema = z.strictObject({
  signalId: z.string().min(1),
  channel: z.enum(SIGNAL_CHANNELS),
  signal: SignalSchema,
});
export type SignalReceivedV1 = z.infer<typeof SignalReceivedV1Schema>;
