import type { ProposedStep } from '@incident/remediation-domain';

/** The step in one sentence, as a dry run reports it and a webhook receiver may show it. */
export function describeStep(step: ProposedStep): string {
  const p = step.params;
  switch (step.action) {
    case 'throttle':
      return `throttle ${step.target}'s API calls with a ${String(p['algorithm'] ?? 'token-bucket')} at ${String(p['ratePerMinute'])}/min (burst ${String(p['burst'])})`;
    case 'enforce_timeout':
      return `enforce a ${Number(p['timeoutMs']) / 1_000} s hard timeout on ${step.target}`;
    case 'restart_service':
    case 'restart_dependency':
      return `restart ${step.target}`;
    case 'open_circuit_breaker':
      return `open the circuit breaker for ${step.target}`;
    default:
      return `${step.action.replace(/_/g, ' ')} on ${step.target}: ${step.description}`;
  }
}
