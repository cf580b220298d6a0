import { runbookFor } from '@incident/remediation-domain';
import { describeStep } from './describe-step';

describe('what a dry run says it would do', () => {
  const proposed = (type: Parameters<typeof runbookFor>[0]) => runbookFor(type).steps.map((s) => describeStep({ ...s, target: s.dependency ?? 'api-gateway', requiresApproval: false }));

  it('names the rate and the target of a throttle, the timeout of a hard limit, what a restart restarts', () => {
    expect(proposed('rate_limit')[0]).toBe("throttle api-gateway's API calls with a token-bucket at 50/min (burst 50)");
    expect(proposed('timeout')[0]).toBe('enforce a 30 s hard timeout on api-gateway');
    expect(proposed('plugin_crash')[1]).toBe('restart postgresql');
    expect(proposed('api_failure')[0]).toBe('open the circuit breaker for claude-api');
  });

  it('says something for every step of every runbook', () => {
    for (const type of ['data_corruption', 'performance', 'authentication', 'unclassified', 'memory_leak'] as const) {
      for (const line of proposed(type)) expect(line.length).toBeGreaterThan(10);
    }
  });
});
