import type { IncidentType } from '@incident/contracts';
import type { Runbook, RunbookSet } from './runbook';

// The playbook's failure modes and recovery procedures as data (seed/incident-debugging-playbook.md).
// Changing a step means a new runbook version in a new set: proposals already recorded keep the
// steps they were proposed with, because the proposal event carries them.

const POSTGRES = 'postgresql';
/** The playbook's API_FAILURE is "Claude API unreachable": the breaker guards calls to it. */
const UPSTREAM_API = 'claude-api';

const runbooks: Record<IncidentType, Runbook> = {
  rate_limit: {
    id: 'rate-limit-throttle', version: 1, incidentType: 'rate_limit',
    title: 'Rate limit exhaustion: throttle to the API tier', playbookSection: 'Common Failure Modes / 1. Rate Limit Exhaustion',
    steps: [
      {
        id: 'throttle', action: 'throttle', production: true,
        description: 'Throttle outgoing API calls with a token bucket at the API tier\'s rate (50 requests/minute)',
        params: { algorithm: 'token-bucket', ratePerMinute: 50, burst: 50 },
      },
      {
        id: 'monitor-recovery', action: 'monitor_recovery', production: false,
        description: 'Watch the error rate fall back under 1% and the rate-limit headers recover',
        params: { metric: 'error_rate', belowPercent: 1 },
      },
    ],
  },
  timeout: {
    id: 'timeout-hard-limits', version: 1, incidentType: 'timeout',
    title: 'Agent timeouts: enforce hard timeouts, check load', playbookSection: 'Common Failure Modes / 2. Agent Timeout',
    steps: [
      {
        id: 'enforce-timeout', action: 'enforce_timeout', production: true,
        description: 'Enforce a 30 s hard timeout on agent execution',
        params: { timeoutMs: 30_000 },
      },
      {
        id: 'check-load', action: 'check_load', production: false,
        description: 'Check system load, hung processes and blocking I/O (uptime, ps, iotop)',
        params: { checks: 'load-average,hung-processes,blocking-io' },
      },
    ],
  },
  memory_leak: {
    id: 'memory-leak-restart', version: 1, incidentType: 'memory_leak',
    title: 'Memory leak: capture heap usage, restart', playbookSection: 'Common Failure Modes / 3. Memory Leak',
    // Heap usage first: a restart throws away the very heap that shows the leak.
    steps: [
      {
        id: 'capture-heap', action: 'capture_heap', production: false,
        description: 'Capture heap usage (heapUsed, heapTotal, external, rss) of the leaking process',
        params: { metrics: 'heapUsed,heapTotal,external,rss' },
      },
      {
        id: 'restart-service', action: 'restart_service', production: true,
        description: 'Restart the leaking service',
        params: {},
      },
    ],
  },
  plugin_crash: {
    id: 'plugin-crash-loop', version: 1, incidentType: 'plugin_crash',
    title: 'Plugin crash loop: restore the dependency, then the plugin', playbookSection: 'Common Failure Modes / 4. Plugin Crash Loop',
    steps: [
      {
        id: 'check-dependency', action: 'check_dependency', production: false, dependency: POSTGRES,
        description: 'Check that PostgreSQL is running and listening on 5432',
        params: { probe: 'tcp:5432' },
      },
      {
        id: 'restart-dependency', action: 'restart_dependency', production: true, dependency: POSTGRES,
        description: 'Restart PostgreSQL',
        params: {},
      },
      {
        id: 'verify-dependency', action: 'check_dependency', production: false, dependency: POSTGRES,
        description: 'Verify connectivity: SELECT 1',
        params: { probe: 'SELECT 1' },
      },
      {
        id: 'restart-plugin', action: 'restart_service', production: true,
        description: 'Restart the plugin server',
        params: {},
      },
    ],
  },
  api_failure: {
    id: 'api-failure-circuit-breaker', version: 1, incidentType: 'api_failure',
    title: 'API unreachable: open the circuit breaker', playbookSection: 'Recovery Procedures / Circuit Breaker Reset',
    steps: [
      {
        id: 'open-circuit-breaker', action: 'open_circuit_breaker', production: true, dependency: UPSTREAM_API,
        description: 'Open the circuit breaker to the Claude API so callers fail fast; reset it by hand once fixed',
        params: {},
      },
      {
        id: 'check-api', action: 'check_dependency', production: false, dependency: UPSTREAM_API,
        description: 'Check Claude API connectivity (the quick health check)',
        params: { probe: 'POST /v1/messages' },
      },
    ],
  },
  data_corruption: {
    id: 'data-corruption-restore', version: 1, incidentType: 'data_corruption',
    title: 'Data corruption: verify, restore from backup, verify again', playbookSection: 'Recovery Procedures / Data Recovery',
    steps: [
      {
        id: 'check-integrity', action: 'check_data_integrity', production: false,
        description: 'Check data integrity (row counts, checksums) to size the damage',
        params: { query: 'SELECT COUNT(*) FROM conversations' },
      },
      {
        id: 'restore-backup', action: 'restore_backup', production: true,
        description: 'Stop the service, restore the database and files from the last good backup, restart',
        params: { from: 'latest-good-backup' },
      },
      {
        id: 'verify-integrity', action: 'check_data_integrity', production: false,
        description: 'Verify data integrity after the restore',
        params: { query: 'SELECT COUNT(*) FROM conversations' },
      },
    ],
  },
  performance: {
    id: 'performance-resources', version: 1, incidentType: 'performance',
    title: 'Slow responses: check resources, restart on exhaustion', playbookSection: 'Best Practices / Keep runbooks updated',
    steps: [
      {
        id: 'check-load', action: 'check_load', production: false,
        description: 'Check system resources (top, free -m, df -h)',
        params: { checks: 'cpu,memory,disk' },
      },
      {
        id: 'capture-heap', action: 'capture_heap', production: false,
        description: 'Capture heap usage before any restart',
        params: { metrics: 'heapUsed,heapTotal,external,rss' },
      },
      {
        id: 'restart-service', action: 'restart_service', production: true,
        description: 'Restart the service to clear resource exhaustion',
        params: {},
      },
    ],
  },
  authentication: {
    id: 'authentication-credentials', version: 1, incidentType: 'authentication',
    title: 'Authentication failures: verify, then rotate credentials', playbookSection: 'Common Incident Types / AUTHENTICATION',
    steps: [
      {
        id: 'verify-credentials', action: 'verify_credentials', production: false,
        description: 'Verify the API key or token in use is valid and not expired',
        params: {},
      },
      {
        id: 'rotate-credentials', action: 'rotate_credentials', production: true,
        description: 'Rotate the credentials and roll them out to the service',
        params: {},
      },
    ],
  },
  unclassified: {
    id: 'unclassified-triage', version: 1, incidentType: 'unclassified',
    title: 'Unrecognised failure: triage by hand', playbookSection: 'Initial Response Protocol',
    steps: [
      {
        id: 'triage', action: 'triage', production: false,
        description: 'Assess impact, check the obvious (API, disk, memory) and classify the incident by hand',
        params: {},
      },
    ],
  },
};

export const RUNBOOKS_V1: RunbookSet = { version: 'runbooks/v1', runbooks };
