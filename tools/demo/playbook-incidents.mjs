// The playbook's own incidents (../shared/seed/incident-debugging-playbook.md), as signals and as
// what a responder records. Event times are spread over the last minutes, as if replayed from
// the services' logs: inside the 30-minute quiet period, so correlation keeps them open for the
// responder to resolve.

const MINUTE = 60_000;
const iso = (ms) => new Date(ms).toISOString();
const day = (days) => new Date(Date.now() + days * 24 * 60 * MINUTE).toISOString().slice(0, 10);

/** The 429 storm: "Error 429: Rate limit exceeded", anthropic-ratelimit-* headers, 68% errors. */
export function rateLimitStorm(run, now) {
  const source = `api-gateway-${run}`;
  const start = now - 14 * MINUTE;
  const signals = Array.from({ length: 240 }, (_, i) => ({
    id: `${source}-429-${i}`,
    source,
    component: 'agent:code-review',
    level: 'ERROR',
    message: 'Rate limit exceeded',
    errorCode: 429,
    userId: `user-${(i * 7) % 120}`,
    timestamp: iso(start + i * 2_500),
    attributes: {
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': iso(start + 25 * MINUTE),
      retryAfter: 12,
      conversationId: `conv-${i % 40}`,
    },
  }));
  // Requests and errors per minute: the storm builds to the playbook's 68%, then the limiter lands.
  const errors = [40, 120, 350, 680, 680, 650, 420, 90, 8];
  const traffic = errors.map((e, i) => ({ source, windowStart: iso(start + i * MINUTE), windowEnd: iso(start + (i + 1) * MINUTE), requests: 1000, errors: e }));
  return {
    title: 'The 429 rate-limit storm',
    source,
    type: 'rate_limit',
    send: (api) => api.signals(signals),
    traffic,
    respond: [
      ['acknowledge', {}],
      ['notes', { text: 'Identified rate limit exhaustion: anthropic-ratelimit-requests-remaining is 0 on every call' }],
      ['status', { status: 'identified' }],
      ['notes', { text: 'Implemented emergency rate limiting: a token bucket at the API tier\'s 50 requests per minute' }],
      ['status', { status: 'monitoring' }],
      ['resolve', { reason: 'Error rate back under 1% with the token bucket in place' }],
    ],
  };
}

const FIVE_WHYS = [
  'Why did the agent timeout? Because it took > 300 seconds to respond',
  'Why did it take so long? Because the Claude API call was slow (280s)',
  'Why was the API call slow? Because we sent a 50,000 token prompt',
  'Why did we send such a large prompt? Because the code-reviewer agent included entire codebase in context',
  'Why did it include the entire codebase? File globbing pattern `**/*` matched all files including node_modules (500MB)',
];

/** The code-review agent timing out after 300000 ms on 50,000-token prompts, with the playbook's 5 Whys. */
export function agentTimeout(run, now) {
  const source = `code-review-agent-${run}`;
  const start = now - 12 * MINUTE;
  const signals = Array.from({ length: 30 }, (_, i) => ({
    id: `${source}-timeout-${i}`,
    source,
    component: 'agent:code-review',
    level: 'ERROR',
    message: 'Error: Agent execution timed out after 300000ms',
    errorCode: 'ETIMEDOUT',
    durationMs: 300_000,
    userId: `dev-${i % 25}`,
    timestamp: iso(start + i * 15_000),
    attributes: { task: 'code-review', conversationId: 'abc-123-def', promptTokens: 50_000 },
  }));
  const traffic = [90, 680, 660, 610, 50].map((e, i) => ({ source, windowStart: iso(start + i * 2 * MINUTE), windowEnd: iso(start + (i + 1) * 2 * MINUTE), requests: 1000, errors: e }));
  return {
    title: 'The code-review agent timing out after 300000 ms',
    source,
    type: 'timeout',
    send: (api) => api.signals(signals),
    traffic,
    respond: [
      ['acknowledge', {}],
      ['status', { status: 'identified' }],
      ['root-cause', {
        fiveWhys: FIVE_WHYS,
        fishbone: {
          people: ['Developer added file globbing without testing', 'No code review caught the issue'],
          process: ['No integration tests for large codebases', 'No performance testing in CI/CD'],
          technology: ['Glob pattern included node_modules (500MB)', 'No size limit on prompts', 'No timeout on file reading'],
          environment: ['Production codebase larger than test repos', 'No staging environment for testing'],
        },
        rootCause: 'File globbing pattern `**/*` included `node_modules/` directory (500MB), creating prompts exceeding Claude API\'s context limits and causing timeouts',
        fix: 'Add file exclusion patterns and max prompt size validation',
        contributingFactors: ['No file size validation before prompt construction', 'No integration tests with large codebases', 'No staging environment for testing'],
        wentWell: ['Fast root cause identification (10 minutes)', 'Effective rollback procedure', 'Clear communication to affected users'],
        wentPoorly: ['No monitoring alerts before user reports', 'No prompt size limits prevented the issue', 'Fix took 20 minutes to deploy'],
        lessonsLearned: ['File operations need size limits', 'Production testing with realistic data is critical', 'Monitoring must detect issues before users report them'],
      }],
      ['notes', { text: 'Fix deployed to staging' }],
      ['notes', { text: 'Fix deployed to production' }],
      // The playbook's own counter-example, to show the blame detector at work.
      ['notes', { text: 'Root cause: Developer X wrote bad code' }],
      ['resolve', { reason: 'Incident resolved, error rate < 1%' }],
      ['action-items', { title: 'Add file size validation', priority: 'P0', owner: '@dev', dueDate: day(1) }],
      ['action-items', { title: 'Implement max prompt size limit', priority: 'P0', owner: '@dev', dueDate: day(1) }],
      ['action-items', { title: 'Add monitoring for agent timeouts', priority: 'P1', owner: '@ops', dueDate: day(3) }],
      ['action-items', { title: 'Create staging environment', priority: 'P1', owner: '@ops', dueDate: day(6) }],
      ['action-items', { title: 'Add integration tests with large repos', priority: 'P2', owner: '@qa', dueDate: day(12) }],
    ],
  };
}

/** The plugin server's crash loop on ECONNREFUSED 127.0.0.1:5432, as the playbook's log lines. */
export function pluginCrashLoop(run, now) {
  const source = `plugin-host-${run}`;
  const start = now - 4 * MINUTE;
  const lines = Array.from({ length: 6 }, (_, i) => {
    const at = iso(start + i * 20_000);
    return i % 2 === 0
      ? `[${at}] [FATAL] [plugin-server] Error: ECONNREFUSED 127.0.0.1:5432\n  errorCode: ECONNREFUSED\n  restarts: ${8 * (i + 1)}\n  stack: Error: connect ECONNREFUSED 127.0.0.1:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\n`
      : `[${at}] [ERROR] [plugin-server] plugin-server errored: ${8 * (i + 1)} restarts in 2 minutes\n  errorCode: ECONNREFUSED\n`;
  });
  return {
    title: 'The plugin server\'s crash loop on ECONNREFUSED 127.0.0.1:5432',
    source,
    type: 'plugin_crash',
    send: (api) => api.logs(source, lines.join('')),
    traffic: [],
    respond: [
      ['acknowledge', {}],
      ['notes', { text: 'docker ps | grep postgres is empty: the PostgreSQL container is not running; netstat shows no listener on 5432' }],
      ['status', { status: 'identified' }],
      ['notes', { text: 'docker-compose up -d postgres; psql -c "SELECT 1" answers; pm2 restart plugin-server' }],
      ['resolve', { reason: 'PostgreSQL restarted; plugin-server up without restarts for 5 minutes' }],
    ],
  };
}
