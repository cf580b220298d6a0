import { INCIDENT_TYPES, type IncidentType } from '@incident/contracts';
import { RUNBOOK_SETS, runbookFor } from './runbook-sets';

const actions = (type: IncidentType) => runbookFor(type).steps.map((s) => s.action);

describe('runbooks v1: one per failure mode of the playbook', () => {
  it.each<[IncidentType, string, string[]]>([
    ['rate_limit', 'rate-limit-throttle', ['throttle', 'monitor_recovery']],
    ['timeout', 'timeout-hard-limits', ['enforce_timeout', 'check_load']],
    ['memory_leak', 'memory-leak-restart', ['capture_heap', 'restart_service']],
    ['plugin_crash', 'plugin-crash-loop', ['check_dependency', 'restart_dependency', 'check_dependency', 'restart_service']],
    ['api_failure', 'api-failure-circuit-breaker', ['open_circuit_breaker', 'check_dependency']],
    ['data_corruption', 'data-corruption-restore', ['check_data_integrity', 'restore_backup', 'check_data_integrity']],
    ['performance', 'performance-resources', ['check_load', 'capture_heap', 'restart_service']],
    ['authentication', 'authentication-credentials', ['verify_credentials', 'rotate_credentials']],
    ['unclassified', 'unclassified-triage', ['triage']],
  ])('chooses for %s the runbook %s: %j', (type, id, expected) => {
    expect(runbookFor(type)).toMatchObject({ id, version: 1, incidentType: type });
    expect(actions(type)).toEqual(expected);
  });

  it('has a runbook for every incident type, so no incident goes without a proposal', () => {
    for (const type of INCIDENT_TYPES) expect(runbookFor(type).steps.length).toBeGreaterThan(0);
  });

  it('throttles a rate limit with a token bucket at the API tier\'s 50 requests a minute', () => {
    expect(runbookFor('rate_limit').steps[0]).toMatchObject({ production: true, params: { algorithm: 'token-bucket', ratePerMinute: 50, burst: 50 } });
  });

  it('enforces the playbook\'s 30 s hard timeout on agent execution', () => {
    expect(runbookFor('timeout').steps[0]).toMatchObject({ action: 'enforce_timeout', production: true, params: { timeoutMs: 30_000 } });
  });

  it('captures heap usage before restarting a leaking service, since the restart loses the heap', () => {
    const [capture, restart] = runbookFor('memory_leak').steps;
    expect([capture.production, restart.production]).toEqual([false, true]);
  });

  it('restores PostgreSQL before the crashing plugin: check, restart, verify, then the plugin', () => {
    const steps = runbookFor('plugin_crash').steps;
    expect(steps.map((s) => s.dependency ?? 'the incident source')).toEqual(['postgresql', 'postgresql', 'postgresql', 'the incident source']);
  });

  it('opens the circuit breaker to the unreachable API on an API failure', () => {
    expect(runbookFor('api_failure').steps[0]).toMatchObject({ action: 'open_circuit_breaker', dependency: 'claude-api', production: true });
  });

  it('rotates credentials on authentication failures only after verifying them, and rotation acts on production', () => {
    expect(runbookFor('authentication').steps.map((s) => [s.action, s.production])).toEqual([['verify_credentials', false], ['rotate_credentials', true]]);
  });

  it('gives every step an id unique in its runbook (approvals name steps by id)', () => {
    for (const set of Object.values(RUNBOOK_SETS)) {
      for (const runbook of Object.values(set.runbooks)) {
        const ids = runbook.steps.map((s) => s.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(id).toMatch(/^[a-z0-9-]+$/);
      }
    }
  });
});
