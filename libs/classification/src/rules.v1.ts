import type { RuleSet } from './rule';

/**
 * Rule set v1, drawn from the playbook's symptoms ("Common Failure Modes" and the incident
 * types). Order matters: specific failure modes come before the broad API-failure catch.
 * Changing a rule means a new version: decisions already recorded name v1 and must replay as v1.
 */
export const RULES_V1: RuleSet = {
  version: 'classifier-rules/v1',
  rules: [
    {
      id: 'rate-limit.http-429',
      type: 'rate_limit',
      description: 'HTTP 429, a "rate limit" message or anthropic-ratelimit-* headers',
      errorCodes: ['429'],
      messagePatterns: ['rate.?limit', 'too many requests'],
      attributePrefixes: ['anthropic-ratelimit-'],
    },
    {
      id: 'timeout.timed-out',
      type: 'timeout',
      description: 'An agent or tool timed out ("timed out after 300000ms")',
      errorCodes: ['ETIMEDOUT', 'ESOCKETTIMEDOUT', '408', '504'],
      messagePatterns: ['timed out after', '\\btime(d)?[ -]?out\\b', 'deadline exceeded'],
    },
    {
      id: 'memory.exhausted',
      type: 'memory_leak',
      description: 'Heap or process memory exhaustion',
      errorCodes: ['ENOMEM', 'ERR_WORKER_OUT_OF_MEMORY'],
      messagePatterns: ['heap out of memory', 'out of memory', 'oomkilled', 'memory (exhaustion|leak|usage critical)', 'allocation failed'],
      labels: { alertname: 'memory|oom' },
    },
    {
      id: 'plugin.crash-loop',
      type: 'plugin_crash',
      description: 'A plugin process died or restarts in a loop, often on ECONNREFUSED to a dependency',
      errorCodes: ['ECONNREFUSED'],
      messagePatterns: ['ECONNREFUSED', 'crash ?loop', 'restarts? in', 'process (died|crashed|exited)', 'CrashLoopBackOff'],
      labels: { alertname: 'crashloop|restart' },
    },
    {
      id: 'auth.rejected',
      type: 'authentication',
      description: 'Credentials rejected: 401 or 403, invalid API key',
      errorCodes: ['401', '403'],
      messagePatterns: ['unauthori[sz]ed', 'forbidden', 'invalid (api )?key', 'authentication (failed|error)', 'permission denied'],
    },
    {
      id: 'data.corrupt',
      type: 'data_corruption',
      description: 'Invalid or corrupt data in a database or cache',
      errorCodes: ['EBADMSG'],
      messagePatterns: ['corrupt', 'checksum mismatch', 'invalid data', 'integrity (check|violation)', 'unexpected token .* json'],
    },
    {
      id: 'api.unreachable',
      type: 'api_failure',
      description: 'An upstream API unreachable or failing (5xx, DNS, reset connections)',
      errorCodes: ['500', '502', '503', 'ENOTFOUND', 'ECONNRESET', 'EAI_AGAIN'],
      messagePatterns: ['api (unreachable|unavailable|offline)', 'service unavailable', 'bad gateway', 'internal server error'],
    },
    {
      id: 'performance.slow',
      type: 'performance',
      description: 'Slow responses: a duration of 5 s or more, or a latency message',
      minDurationMs: 5_000,
      messagePatterns: ['slow (response|query|request)', 'high latency', 'latency (above|exceeded)', 'response time'],
      labels: { alertname: 'latency|slow' },
    },
  ],
};
