import { z } from 'zod';

/** An event time or a deadline: ISO-8601 with a zone (the services write UTC, `Z`). */
export const EventTime = z.iso.datetime({ offset: true });

/** Why a decision was taken: the rule of the policy, its version, and the inputs it read. */
export const DecisionBasisSchema = z.strictObject({
  rule: z.string().min(1).describe('The rule of the policy that decided, e.g. `open.failure-count`.'),
  policyVersion: z.string().min(1).describe('The version of the policy (correlation, escalation, runbooks, responder, postmortem).'),
  inputs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).describe('The inputs the rule read, as recorded.'),
});
export type DecisionBasisV1 = z.infer<typeof DecisionBasisSchema>;
