import { z } from 'zod';
import { SIGNAL_LEVELS } from '../signals/signal';
import { IncidentTypeSchema } from './incident-vocabulary';

export const SIGNAL_CLASSIFIED = 'SignalClassified';

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
