/**
 * How remediation runs: which steps wait for a person, how often a failing step is tried. The
 * values a decision used are recorded in its event (each step's `requiresApproval`, a failure's
 * `maxAttempts` and `retryAt`), so a later change of settings never rewrites what happened.
 */
export interface RemediationPolicy {
  readonly version: string;
  /** `production`: steps marked production wait for an ApproveStep; `none`: nothing waits. */
  readonly approval: ApprovalRule;
  /** Attempts per step, the first included, before the run fails. */
  readonly maxAttemptsPerStep: number;
  /** Delay before attempt n+1 is initialMs * 2^(n-1), at most maxMs. */
  readonly retryBackoff: { readonly initialMs: number; readonly maxMs: number };
}

export const APPROVAL_RULES = ['production', 'none'] as const;
export type ApprovalRule = (typeof APPROVAL_RULES)[number];

export const REMEDIATION_POLICY_V1: RemediationPolicy = {
  version: 'remediation-policy/v1',
  approval: 'production',
  maxAttemptsPerStep: 3,
  retryBackoff: { initialMs: 5_000, maxMs: 5 * 60_000 },
};

export function retryDelayMs(policy: RemediationPolicy, attempt: number): number {
  return Math.min(policy.retryBackoff.maxMs, policy.retryBackoff.initialMs * 2 ** (attempt - 1));
}
