import { z } from 'zod';

/** Levels of the playbook's log format, most severe first. */
export const SIGNAL_LEVELS = ['FATAL', 'ERROR', 'WARN', 'INFO'] as const;
export type SignalLevel = (typeof SIGNAL_LEVELS)[number];

// Bounds keep one publisher from filling the log with a single signal; they are generous
// for real stack traces and small enough that a 1,000-signal batch stays within 1 MiB.
export const SIGNAL_LIMITS = {
  idLength: 200,
  sourceLength: 200,
  componentLength: 200,
  messageLength: 8_192,
  attributeKeys: 64,
} as const;

const boundedText = (max: number) => z.string().trim().min(1).max(max);

/** A failure signal as publishers send it (DESIGN.md, "A signal (JSON)"). */
export const SignalSchema = z.strictObject({
  id: boundedText(SIGNAL_LIMITS.idLength).optional(),
  source: boundedText(SIGNAL_LIMITS.sourceLength),
  message: boundedText(SIGNAL_LIMITS.messageLength),
  component: boundedText(SIGNAL_LIMITS.componentLength).optional(),
  level: z.enum(SIGNAL_LEVELS).optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  errorCode: z.union([z.string().trim().min(1).max(100), z.number().int()]).optional(),
  userId: boundedText(SIGNAL_LIMITS.idLength).optional(),
  durationMs: z.number().nonnegative().finite().optional(),
  attributes: z
    .record(z.string().max(200), z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()]))
    .refine((a) => Object.keys(a).length <= SIGNAL_LIMITS.attributeKeys, {
      message: `at most ${SIGNAL_LIMITS.attributeKeys} attributes`,
    })
    .optional(),
});
export type Signal = z.infer<typeof SignalSchema>;

/**
 * Traffic over a window, so that error rates are real rates (errors / requests) rather than
 * guesses from error counts alone (playbook: "alert when the error rate passes 5%").
 */
export const TrafficSampleSchema = z
  .strictObject({
    source: boundedText(SIGNAL_LIMITS.sourceLength),
    component: boundedText(SIGNAL_LIMITS.componentLength).optional(),
    windowStart: z.iso.datetime({ offset: true }),
    windowEnd: z.iso.datetime({ offset: true }),
    requests: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
  })
  .refine((s) => s.errors <= s.requests, { message: 'errors cannot exceed requests', path: ['errors'] })
  .refine((s) => Date.parse(s.windowEnd) > Date.parse(s.windowStart), {
    message: 'windowEnd must be after windowStart',
    path: ['windowEnd'],
  });
export type TrafficSample = z.infer<typeof TrafficSampleSchema>;

/**
 * Attribute-key prefixes under which ingest keeps an Alertmanager alert's labels and
 * annotations, so classifier rules and correlation policy can read them from any signal.
 */
export const ALERT_LABEL_PREFIX = 'alert.label.';
export const ALERT_ANNOTATION_PREFIX = 'alert.annotation.';
