import type { Signal } from '@incident/contracts';
import { classify } from './classify';
import { RULES_V1 } from './rules.v1';
import { RULES_V2 } from './rules.v2';

describe('rule set v2: a caller\'s deadline is latency, an agent\'s own budget is a timeout', () => {
  it.each([
    ['HTTP 504 from the gateway', { message: 'upstream request failed', errorCode: 504 }],
    ['HTTP 408', { message: 'request failed', errorCode: '408' }],
    ['a gRPC deadline', { message: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded' }],
    ['a "Gateway Timeout" message', { message: '504 Gateway Timeout' }],
  ])('classifies %s as performance (v1: timeout)', (_name, fields) => {
    expect(classify(aSignal(fields), RULES_V1).type).toBe('timeout');
    expect(classify(aSignal(fields), RULES_V2)).toMatchObject({ type: 'performance', ruleId: 'performance.upstream-deadline', ruleSetVersion: 'classifier-rules/v2' });
  });

  it.each([
    ['the playbook\'s agent timeout', { message: 'Error: Agent execution timed out after 300000ms' }],
    ['ETIMEDOUT', { message: 'connect failed', errorCode: 'ETIMEDOUT' }],
  ])('still classifies %s as a timeout', (_name, fields) => {
    expect(classify(aSignal(fields), RULES_V2)).toMatchObject({ type: 'timeout', ruleId: 'timeout.timed-out' });
  });

  it('keeps every other rule of v1, in v1\'s order', () => {
    const others = (ids: readonly { id: string }[]) => ids.map((r) => r.id).filter((id) => id !== 'performance.upstream-deadline');
    expect(others(RULES_V2.rules)).toEqual(RULES_V1.rules.map((r) => r.id));
    expect(classify(aSignal({ message: 'Rate limit exceeded', errorCode: 429 }), RULES_V2)).toMatchObject({ type: 'rate_limit', ruleId: 'rate-limit.http-429' });
  });
});

function aSignal(fields: Partial<Signal>): Signal {
  return { source: 'api-gateway', message: 'failure', ...fields };
}
