import { describeStep } from './describe-step';
import type { Executor, ExecutorResult, StepRequest } from './executor';

/** The default: acts on nothing, records what it would have done. */
export class DryRunExecutor implements Executor {
  async execute(request: StepRequest): Promise<ExecutorResult> {
    return { executor: 'dry-run', outcome: { ok: true, output: { dryRun: true, wouldDo: describeStep(request.step) } } };
  }
}
