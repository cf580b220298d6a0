import { type Signal, SignalSchema } from '@incident/contracts';
import {
  cloudEventToSignal,
  type InputIssue,
  isCloudEvent,
  type Parsed,
  zodIssues,
} from '@incident/signal-intake';
import { z } from 'zod';

/**
 * A message on the intake topic: one JSON signal, or a structured-mode CloudEvent whose `data` is
 * one. Unlike the relay's topics these are not log envelopes, so there is no event id header to
 * de-duplicate by: the signal id is (see intake-handler).
 */
export function intakeMessageToSignal(body: unknown): Parsed<Signal> {
  if (Array.isArray(body))
    return {
      ok: false,
      issues: [
        { at: '', message: 'a message carries one signal, not an array' },
      ],
    };
  if (isCloudEvent(body)) return cloudEventToSignal(body);
  const checked = SignalSchema.safeParse(body);
  return checked.success
    ? { ok: true, value: checked.data }
    : { ok: false, issues: zodIssues('', checked.error) };
}

/**
 * The same, as the schema messaging's consumer validates with: a message it rejects is dead-lettered
 * at once (the same bytes fail the same way every time), with the issues as the reason.
 */
export const IntakeMessageSchema: z.ZodType<Signal> = z
  .unknown()
  .transform((body, ctx) => {
    const parsed = intakeMessageToSignal(body);
    if (parsed.ok) return parsed.value;
    for (const issue of parsed.issues) ctx.addIssue(asZodIssue(issue, body));
    return z.NEVER;
  });

function asZodIssue(issue: InputIssue, input: unknown) {
  return {
    code: 'custom' as const,
    message: issue.message,
    path: issue.at ? [issue.at] : [],
    input,
  };
}
