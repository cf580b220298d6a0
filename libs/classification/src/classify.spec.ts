import { ALERT_LABEL_PREFIX, type IncidentType, type Signal } from '@incident/contracts';
import { classify, fingerprintOf, UNCLASSIFIED_RULE_ID } from './classify';
import { CURRENT_RULE_SET, ruleSet } from './rule-sets';

// One row per symptom the playbook describes, with the type it must be classified as.
const playbookSymptoms: [string, Partial<Signal>, IncidentType][] = [
  ['Error 429 from the API', { message: 'Rate limit exceeded', errorCode: 429 }, 'rate_limit'],
  [
    'anthropic-ratelimit-* headers without a code',
    { message: 'request refused', attributes: { 'anthropic-ratelimit-requests-remaining': '0' } },
    'rate_limit',
  ],
  ['agent timing out after 300000ms', { message: 'Error: Agent execution timed out after 300000ms' }, 'timeout'],
  ['ETIMEDOUT code', { message: 'connect failed', errorCode: 'ETIMEDOUT' }, 'timeout'],
  ['ECONNREFUSED to PostgreSQL from the plugin server', { message: 'Error: ECONNREFUSED 127.0.0.1:5432', component: 'plugin-server' }, 'plugin_crash'],
  ['PM2 crash loop', { message: 'plugin-server errored: 47 restarts in 2 minutes' }, 'plugin_crash'],
  ['V8 heap exhaustion', { message: 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory' }, 'memory_leak'],
  ['memory alert from Alertmanager', { message: 'firing', attributes: { [`${ALERT_LABEL_PREFIX}alertname`]: 'HighMemoryUsage' } }, 'memory_leak'],
  ['401 from the API', { message: 'request failed', errorCode: 401 }, 'authentication'],
  ['403 forbidden', { message: 'Forbidden', errorCode: '403' }, 'authentication'],
  ['invalid API key', { message: 'Invalid API key provided' }, 'authentication'],
  ['corrupt cache entry', { message: 'cache entry corrupt: checksum mismatch' }, 'data_corruption'],
  ['Claude API unreachable', { message: 'Claude API unreachable' }, 'api_failure'],
  ['503 from upstream', { message: 'upstream failed', errorCode: 503 }, 'api_failure'],
  ['slow response by duration', { message: 'request completed', durationMs: 12_000 }, 'performance'],
  ['slow response by message', { message: 'Slow response from tool runner' }, 'performance'],
  ['nothing recognisable', { message: 'something odd happened' }, 'unclassified'],
];

describe('classify with rule set v1', () => {
  it.each(playbookSymptoms)('classifies %s', (_name, fields, expected) => {
    expect(classify(aSignal(fields), CURRENT_RULE_SET).type).toBe(expected);
  });

  it('records the deciding rule, the rule-set version and the error code it used as evidence', () => {
    const decision = classify(aSignal({ message: 'Rate limit exceeded', errorCode: 429 }), CURRENT_RULE_SET);
    expect(decision).toMatchObject({
      ruleId: 'rate-limit.http-429',
      ruleSetVersion: 'classifier-rules/v1',
      evidence: { errorCode: '429', messagePattern: 'rate.?limit' },
    });
  });

  it('records the alert labels it matched on', () => {
    const labels = { [`${ALERT_LABEL_PREFIX}alertname`]: 'PodCrashLooping' };
    const decision = classify(aSignal({ message: 'firing', attributes: labels }), CURRENT_RULE_SET);
    expect(decision.type).toBe('plugin_crash');
    expect(decision.evidence.labels).toEqual({ alertname: 'PodCrashLooping' });
  });

  it('never drops a signal: an unmatched one is unclassified by the fallback rule', () => {
    const decision = classify(aSignal({ message: 'all quiet' }), CURRENT_RULE_SET);
    expect(decision).toMatchObject({ type: 'unclassified', ruleId: UNCLASSIFIED_RULE_ID, evidence: {} });
  });

  it('groups by source, component and type', () => {
    const a = classify(aSignal({ message: '429', errorCode: 429, component: 'agent:code-review' }), CURRENT_RULE_SET);
    const b = classify(aSignal({ message: 'other 429', errorCode: 429, component: 'agent:code-review' }), CURRENT_RULE_SET);
    const c = classify(aSignal({ message: '429', errorCode: 429, component: 'agent:planner' }), CURRENT_RULE_SET);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).not.toBe(c.fingerprint);
    expect(a.fingerprint).toBe('api-gateway|agent:code-review|rate_limit');
  });

  it('gives the same decision for the same signal (replay is deterministic)', () => {
    const signal = aSignal({ message: 'Error: Agent execution timed out after 300000ms' });
    expect(classify(signal, CURRENT_RULE_SET)).toEqual(classify(signal, CURRENT_RULE_SET));
  });
});

describe('fingerprintOf', () => {
  it('escapes the separator so two different sources cannot share a fingerprint', () => {
    expect(fingerprintOf('a|b', undefined, 'timeout')).not.toBe(fingerprintOf('a', 'b', 'timeout'));
  });
});

describe('ruleSet', () => {
  it('refuses an unknown version, naming the known ones', () => {
    expect(() => ruleSet('classifier-rules/v9')).toThrow(/unknown classifier rule set "classifier-rules\/v9".*v1/);
  });
});

function aSignal(fields: Partial<Signal>): Signal {
  return { source: 'api-gateway', message: 'failure', ...fields };
}
