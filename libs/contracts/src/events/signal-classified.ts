import { z } from 'zod';
import { SIGNAL_LEVELS } from '../signals/signal';
import { IncidentTypeSchema } from './incident-vocabulary';
import { legacyUserRef, UserRefSchema } from './user-ref';

export const SIGNAL_CLASSIFIED = 'SignalClassified';
/** The version the classifier writes. */
export const SIGNAL_CLASSIFIED_VERSION = 2;

/**
 * The classifier's decision for one signal, with what correlation needs of the signal itself
 * so it never has to read the signal stream back. Appended to `classification-<fingerprint>`.
 */
export const SignalClassifiedV1Schema = z.strictObject({
  signalId: z.string().min(1),
  source: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  level: z.enum(SIGNAL_LEVELS),
  message: z.string(),
  component: z.string().optional(),
  userId: z.string().optional(),
  errorCode: z.string().optional(),
  alert: z
    .strictObject({ fingerprint: z.string(), status: z.enum(['firing', 'resolved']), severity: z.string().optional() })
    .optional(),
  classification: z.strictObject({
    type: IncidentTypeSchema,
    fingerprint: z.string().min(1),
    ruleId: z.string().min(1),
    ruleSetVersion: z.string().min(1),
    evidence: z.record(z.string(), z.unknown()),
  }),
});
export type SignalClassifiedV1 = z.infer<typeof SignalClassifiedV1Schema>;

/**
 * v2: `userId` (the publisher's plaintext, copied from SignalReceived v1) becomes `userRef`, the
 * pseudonym of SignalReceived v2. Correlation counts distinct users by it, as it counted user ids.
 */
export const SignalClassifiedV2Schema = SignalClassifiedV1Schema.omit({ userId: true }).extend({ userRef: UserRefSchema.optional() });
export type SignalClassifiedV2 = z.infer<typeof SignalClassifiedV2Schema>;

/** v1 -> v2: the plaintext `userId` is read as its legacy pseudonym. */
export function upcastSignalClassifiedV1(payload: Record<string, unknown>): Record<string, unknown> {
  const { userId, ...rest } = payload;
  return { ...rest, ...(typeof userId === 'string' ? { userRef: legacyUserRef(userId) } : {}) };
}
