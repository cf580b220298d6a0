import type { AttemptOutcome, ProposedStep } from '@incident/remediation-domain';

/** One attempt of one step, as an executor receives it. */
export interface StepRequest {
  incidentId: string;
  runId: string;
  step: ProposedStep;
  attempt: number;
  /** Stable per (run, step, attempt): a receiver that sees it twice (a retried delivery) acts once. */
  deliveryId: string;
  /** Who approved the step, when it needed approval. */
  approvedBy?: string;
}

/** What the step runner records: the executor's name, and the outcome in the domain's terms. */
export interface ExecutorResult {
  executor: string;
  outcome: AttemptOutcome;
}

/**
 * Runs a step against the world. Never throws: a failure is an outcome the domain records (and
 * retries when `retryable`), not an exception that would roll the attempt's record back.
 */
export interface Executor {
  execute(request: StepRequest): Promise<ExecutorResult>;
}

export function errorText(error: unknown): string {
  // Duck-typed: fetch's DOMException (TimeoutError) may come from another realm than this Error.
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const e = error as { name?: unknown; message: unknown; cause?: unknown };
    if (e.name === 'TimeoutError') return 'timed out';
    const cause = typeof e.cause === 'object' && e.cause !== null && 'message' in e.cause ? `: ${String((e.cause as { message: unknown }).message)}` : '';
    return `${String(e.message)}${cause}`;
  }
  return String(error);
}
