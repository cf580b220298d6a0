import { agentTimeoutIncident, at, IncidentHistory, INCIDENT_ID, T0, withPlaybookActionItems } from '../testing/histories';
import { draftPostmortem } from './draft-postmortem';

describe('drafting the playbook postmortem from an incident history', () => {
  it('drafts nothing while the incident is open', () => {
    expect(draftPostmortem(new IncidentHistory().opened().signals(10).events)).toBeUndefined();
    expect(draftPostmortem([])).toBeUndefined();
  });

  it('fills in date, duration, severity and impact as the playbook writes them', () => {
    const pm = draftPostmortem(agentTimeoutIncident().events);
    expect(pm).toMatchObject({
      incidentId: INCIDENT_ID,
      date: '2025-12-24',
      startedAt: T0,
      resolvedAt: at(40),
      duration: '40 minutes',
      durationMs: 40 * 60_000,
      severity: 'SEV-2',
      impact: { affectedUsers: 1200, peakErrorRate: 0.68, signalCount: 1200, busiestComponent: 'agent:code-review' },
      resolution: { at: at(40), by: 'oncall', reason: 'error rate < 1%' },
      dueAt: '2025-12-25T15:15:00.000Z',
    });
  });

  it('builds the UTC timeline from the events, in event-time order', () => {
    const pm = draftPostmortem(agentTimeoutIncident().events);
    expect(pm?.timeline.map((e) => [e.at.slice(11, 19), e.what])).toEqual([
      ['14:35:00', expect.stringMatching(/^Incident opened as SEV-3 \(Timeout in code-review-agent\): timeout in/)],
      ['14:35:00', 'First failure signal (ERROR, error code ETIMEDOUT, in agent:code-review)'],
      ['14:40:00', 'Error rate peaks at 68.0% (680 of 1,000 requests)'],
      ['14:40:00', 'Severity SEV-3 → SEV-2 by correlation: major degradation: 68.0% error rate'],
      ['14:42:00', 'Acknowledged by oncall'],
      ['14:45:00', 'Status investigating → identified by oncall'],
      ['14:45:30', expect.stringMatching(/^Root cause recorded by oncall: File globbing pattern/)],
      ['14:50:00', 'Note from oncall: Fix deployed to staging'],
      ['14:55:00', 'Note from oncall: Fix deployed to production'],
      ['15:15:00', 'Incident resolved by oncall: error rate < 1%'],
    ]);
  });

  it('takes root cause, 5 Whys, fishbone and the lessons from the recorded analysis', () => {
    const pm = draftPostmortem(agentTimeoutIncident().events);
    expect(pm?.rootCause).toMatchObject({ statement: expect.stringMatching(/^File globbing pattern/), fix: 'Add file exclusion patterns and max prompt size validation', recordedBy: 'oncall' });
    expect(pm?.rootCause?.fiveWhys).toHaveLength(5);
    expect(pm?.rootCause?.fishbone.technology).toContain('No size limit on prompts');
    expect(pm?.contributingFactors).toEqual(['No file size validation before prompt construction', 'No integration tests with large codebases', 'No staging environment for testing']);
    expect(pm?.wentWell[0]).toBe('Fast root cause identification (10 minutes)');
    expect(pm?.wentPoorly).toHaveLength(3);
    expect(pm?.lessonsLearned).toContain('File operations need size limits');
    expect(pm?.summary).toMatch(/^Timeout incident in code-review-agent \(agent:code-review\): ".*"\. It lasted 40 minutes at up to SEV-2, a peak error rate of 68\.0% and 1,200 affected users/);
  });

  it('lists action items with priority, owner, due date and completion, including those added after resolution', () => {
    const history = withPlaybookActionItems(agentTimeoutIncident()).respond(at(60), 'dev', { kind: 'CompleteActionItem', itemId: 'a-1' });
    const pm = draftPostmortem(history.events);
    expect(pm?.actionItems).toHaveLength(5);
    expect(pm?.actionItems[0]).toEqual({ id: 'a-1', title: 'Add file size validation', priority: 'P0', owner: '@dev', dueDate: '2025-12-25', completedAt: at(60) });
    expect(pm?.actionItems[4]).toMatchObject({ priority: 'P2', owner: '@qa', completedAt: null });
    expect(pm?.incidentVersion).toBe(history.events.length);
  });

  it('says an analysis is missing rather than inventing one', () => {
    const pm = draftPostmortem(new IncidentHistory().opened().signals(3).respond(at(5), 'alice', { kind: 'ResolveIncident', reason: 'restarted' }).events);
    expect(pm).toMatchObject({ rootCause: null, contributingFactors: [], actionItems: [], impact: { peakErrorRate: null } });
    expect(pm?.summary).toMatch(/The root cause is not recorded yet\. Resolved: restarted\.$/);
  });

  it('shows escalations, and remediation steps from the remediation stream, in event-time order', () => {
    const history = new IncidentHistory()
      .opened({ severity: 'SEV-2' })
      .remediation('RemediationProposed', at(1), { runbook: { id: 'timeout', version: 'runbooks/v1', title: 'Agent timeout' }, steps: [] })
      .remediation('StepAttempted', at(2), { stepId: 'hard-timeout', action: 'enforce a 30 s hard timeout', executor: 'dry-run' })
      .remediation('StepSucceeded', at(2, 5), { stepId: 'hard-timeout', executor: 'dry-run', output: {} })
      .other('AcknowledgementDeadlineScheduled', at(0), 'remediation', { dueAt: at(15), severity: 'SEV-2' })
      .other('IncidentEscalated', at(15), 'remediation', { deadline: at(15), severity: 'SEV-2', missedByMs: 0, firedAt: at(16) })
      .respond(at(20), 'alice', { kind: 'ResolveIncident', reason: 'timeouts enforced' });
    const pm = draftPostmortem(history.events);
    expect(pm?.timeline.map((e) => e.what).slice(1)).toEqual([
      'Remediation proposed: Agent timeout (remediation)',
      'Step attempted: enforce a 30 s hard timeout (remediation)',
      'Step succeeded: hard-timeout (remediation)',
      'Escalated by remediation: SEV-2 not acknowledged within its response time, 0 seconds past the deadline',
      'Incident resolved by alice: timeouts enforced',
    ]);
    expect(pm?.incidentVersion).toBe(4);
  });

  it('names an event type it does not know by its type and its own words', () => {
    const history = new IncidentHistory().opened().other('RunbookReviewed', at(3), 'sre-bot', { summary: 'runbook still current' }).respond(at(5), 'alice', { kind: 'ResolveIncident', reason: 'ok' });
    expect(draftPostmortem(history.events)?.timeline[1].what).toBe('Runbook reviewed: runbook still current (sre-bot)');
  });

  it('counts from the first failure signal when it came before the opening, and keeps the highest severity', () => {
    const history = new IncidentHistory()
      .opened({ at: at(5) })
      .signals(10, { from: at(0) })
      .severity(at(6), 'SEV-3', 'SEV-1', 'production down: 95.0% of requests failing')
      .respond(at(10), 'alice', { kind: 'ChangeSeverity', severity: 'SEV-3', reason: 'only internal users affected' })
      .respond(at(65), 'alice', { kind: 'ResolveIncident', reason: 'fixed' });
    expect(draftPostmortem(history.events)).toMatchObject({ startedAt: T0, duration: '1 hour 5 minutes', severity: 'SEV-1', finalSeverity: 'SEV-3' });
  });

  it('gives the same postmortem for the same history (replay)', () => {
    expect(draftPostmortem(agentTimeoutIncident().events)).toEqual(draftPostmortem(agentTimeoutIncident().events));
  });
});
