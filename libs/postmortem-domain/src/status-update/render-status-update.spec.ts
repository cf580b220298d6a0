import type { IncidentState } from '@incident/incident-domain';
import { foldHistory } from '../history';
import { agentTimeoutIncident, at, IncidentHistory } from '../testing/histories';
import { renderStatusUpdate } from './render-status-update';

describe('the status update, in the playbook\'s communication template', () => {
  it('fills in title, severity, status, start and affected users of an incident in progress', () => {
    const history = rateLimitStorm();
    const md = renderStatusUpdate(known(history), history.events, at(10));
    expect(md.startsWith('# Incident Alert: rate_limit in api-gateway/agent:code-review: Rate limit exceeded\n\n')).toBe(true);
    expect(md).toContain('**Severity**: SEV-2\n**Status**: Identified\n**Started**: 2025-12-24 14:35 UTC\n**Affected**: ~1,200 users\n');
  });

  it('states the current impact with the error rate, and the actions taken with their times', () => {
    const history = rateLimitStorm();
    const md = renderStatusUpdate(known(history), history.events, at(10));
    expect(md).toContain('## Current Impact\n- Rate limit failures in api-gateway (agent:code-review) with 429 errors: 1,200 failure signals so far\n- Error rate: 68.0%\n- Acknowledged by alice at 2025-12-24 14:38 UTC\n');
    expect(md).toContain('## Actions Taken\n1. ✅ Acknowledged by alice (14:38)\n2. ✅ Identified rate limit exhaustion (alice) (14:40)\n3. 🔄 Cause identified (alice) (14:40)\n4. ✅ Implemented emergency rate limiting (alice) (14:42)\n');
  });

  it.each([
    ['SEV-1', 'In 15 minutes (by 2025-12-24 14:55 UTC) or when resolved.'],
    ['SEV-2', 'In 15 minutes (by 2025-12-24 14:55 UTC) or when resolved.'],
    ['SEV-3', 'In 1 hour (by 2025-12-24 15:40 UTC) or when resolved.'],
    ['SEV-4', 'In 1 hour (by 2025-12-24 15:40 UTC) or when resolved.'],
  ] as const)('promises the next %s update: %s', (severity, line) => {
    const history = new IncidentHistory().opened({ severity }).signals(3);
    expect(renderStatusUpdate(known(history), history.events, at(5))).toContain(`## Next Update\n${line}\n`);
  });

  it('says an unacknowledged incident waits, against its response time, and that no action is recorded', () => {
    const history = new IncidentHistory().opened({ severity: 'SEV-2' }).signals(3);
    const md = renderStatusUpdate(known(history), history.events, at(20));
    expect(md).toContain('- Error rate: not measured (code-review-agent sends no traffic samples)\n- Not acknowledged yet, open for 20 minutes (SEV-2 response time: 15 minutes)\n');
    expect(md).toContain('## Actions Taken\n1. 🔄 Investigating: no responder action recorded yet\n');
  });

  it('after resolution: status Resolved, the resolution among the actions, no further update and the postmortem\'s due time', () => {
    const history = agentTimeoutIncident();
    const md = renderStatusUpdate(known(history), history.events, at(45));
    expect(md).toContain('**Status**: Resolved\n');
    expect(md).toContain('✅ Resolved by oncall: error rate < 1% (15:15)');
    expect(md).toContain('- Error rate: 5.0% (peak 68.0%)');
    expect(md).toContain('## Next Update\nNone planned: resolved at 2025-12-24 15:15 UTC (error rate < 1%). The postmortem is due by 2025-12-25 15:15 UTC.\n');
  });

  it('lists remediation steps and escalations other services record, failed ones marked', () => {
    const history = new IncidentHistory()
      .opened({ severity: 'SEV-2' })
      .other('IncidentEscalated', at(15), 'remediation', { deadline: at(15), severity: 'SEV-2', missedByMs: 30_000, firedAt: at(15, 30) })
      .remediation('StepFailed', at(16), { stepId: 'restart', error: 'connect ETIMEDOUT', executor: 'webhook' });
    const md = renderStatusUpdate(known(history), history.events, at(20));
    expect(md).toContain('1. ⚠️ Escalated by remediation: SEV-2 not acknowledged in time (30 seconds past the deadline) (14:50)\n2. ❌ Step failed: connect ETIMEDOUT (remediation) (14:51)\n');
  });
});

function rateLimitStorm(): IncidentHistory {
  return new IncidentHistory()
    .opened({ type: 'rate_limit', source: 'api-gateway', title: 'rate_limit in api-gateway/agent:code-review: Rate limit exceeded' })
    .signals(1200, { errorCode: '429' })
    .errorRate(at(2), 1000, 680)
    .severity(at(2), 'SEV-3', 'SEV-2', 'major degradation: 68.0% error rate')
    .respond(at(3), 'alice', { kind: 'AcknowledgeIncident' })
    .respond(at(5), 'alice', { kind: 'AddNote', noteId: 'n-1', text: 'Identified rate limit exhaustion' })
    .respond(at(5), 'alice', { kind: 'SetStatus', status: 'identified' })
    .respond(at(7), 'alice', { kind: 'AddNote', noteId: 'n-2', text: 'Implemented emergency rate limiting' });
}

function known(history: IncidentHistory): Exclude<IncidentState, { status: 'none' }> {
  const state = foldHistory(history.events);
  if (state.status === 'none') throw new Error('no incident');
  return state;
}
