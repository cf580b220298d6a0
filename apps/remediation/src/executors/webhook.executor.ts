import type { WebhookTarget } from '../app/remediation-config';
import { describeStep } from './describe-step';
import type { Executor, ExecutorResult, StepRequest } from './executor';
import { postSigned } from './post-signed';

export const STEP_EVENT = 'remediation.step';

/** The JSON a webhook receives for one attempt of one step. */
export function stepPayload(request: StepRequest, sentAt: string) {
  const { step } = request;
  return {
    type: STEP_EVENT,
    deliveryId: request.deliveryId,
    sentAt,
    incidentId: request.incidentId,
    runId: request.runId,
    stepId: step.id,
    attempt: request.attempt,
    action: step.action,
    target: step.target,
    params: step.params,
    description: step.description,
    summary: describeStep(step),
    production: step.production,
    ...(request.approvedBy ? { approvedBy: request.approvedBy } : {}),
  };
}

/** POSTs each attempt, signed with HMAC-SHA256 of the body; 2xx is success. */
export class WebhookExecutor implements Executor {
  constructor(
    private readonly target: WebhookTarget,
    private readonly clock: () => Date = () => new Date(),
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  async execute(request: StepRequest): Promise<ExecutorResult> {
    const result = await postSigned(this.target, STEP_EVENT, request.deliveryId, stepPayload(request, this.clock().toISOString()), this.fetchImpl);
    if (result.ok) return { executor: 'webhook', outcome: { ok: true, output: { status: result.status ?? 200, url: this.target.url } } };
    return { executor: 'webhook', outcome: { ok: false, error: result.error ?? 'failed', retryable: result.retryable } };
  }
}
