import { randomUUID } from 'node:crypto';
import type { IncidentEvent } from '@incident/incident-domain';
import { errorRate, minutesAfter, opened, resolved, severityChanged, signal, T0 } from '../fixtures/incident-events';
import { renderTimeline, type TimelineEvent } from './timeline';

describe('the human timeline of an incident', () => {
  it('collapses a storm of 10,000 attached signals into one line that counts them', () => {
    const storm = Array.from({ length: 10_000 }, (_, i) => signal(new Date(Date.parse(T0) + i * 10).toISOString(), { userId: `u-${i % 250}` }));
    const entries = renderTimeline(stream([opened(), ...storm]));
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ event: 'SignalAttached', count: 10_000, versions: { from: 2, to: 10_001 }, at: T0, until: '2025-03-01T10:01:39.990Z' });
    expect(entries[1].what).toBe('10,000 signals attached (ERROR; component agent; error code 429; 250 users)');
  });

  it('gives each decision its own line with the actor, the rule, its policy version and its inputs', () => {
    const [open, , change] = renderTimeline(stream([opened({ severity: 'SEV-3' }), signal(T0), severityChanged(minutesAfter(T0, 3), 'SEV-3', 'SEV-2', 0.62)]));
    expect(open).toMatchObject({
      actor: 'correlation',
      basis: { rule: 'open.failure-count', policyVersion: 'correlation-policy/v1', inputs: { failuresInWindow: 10, windowMs: 300000 } },
    });
    expect(open.what).toBe('opened SEV-3 rate_limit incident "rate_limit in api/agent: Rate limit exceeded" for api; classified by rate-limit.http-429 (classifier-rules/v1)');
    expect(change.text).toBe(
      '2025-03-01 10:03:00 UTC  severity SEV-3 -> SEV-2 by correlation: major degradation: 62.0% error rate [rule severity.major-degradation, correlation-policy/v1; inputs: level=ERROR, errorRate=0.62]',
    );
  });

  it('keeps the signals before and after a decision on separate lines, in the order they happened', () => {
    const entries = renderTimeline(
      stream([opened(), signal(T0), signal(T0), severityChanged(minutesAfter(T0, 1), 'SEV-3', 'SEV-2'), signal(minutesAfter(T0, 2)), resolved(minutesAfter(T0, 40))]),
    );
    expect(entries.map((e) => [e.event, e.count])).toEqual([
      ['IncidentOpened', 1],
      ['SignalAttached', 2],
      ['SeverityChanged', 1],
      ['SignalAttached', 1],
      ['IncidentResolved', 1],
    ]);
    expect(entries[3].what).toBe('1 signal attached (ERROR; component agent; error code 429)');
  });

  it('does not let traffic samples split a run of signals, and sums the samples up as latest and peak', () => {
    const entries = renderTimeline(stream([opened(), signal(T0), errorRate(T0, 100, 10), signal(T0), errorRate(T0, 100, 40), errorRate(T0, 200, 30)]));
    expect(entries.map((e) => e.what)).toEqual([
      expect.stringMatching(/^opened/),
      '2 signals attached (ERROR; component agent; error code 429)',
      'error rate measured 3 times: latest 15.0% (30 of 200 requests), peak 40.0%',
    ]);
  });

  it('writes times in UTC whatever offset the event was recorded with', () => {
    const [entry] = renderTimeline(stream([opened({ at: '2025-03-01T12:30:00+02:00' })]));
    expect(entry.at).toBe('2025-03-01T10:30:00.000Z');
    expect(entry.text.startsWith('2025-03-01 10:30:00 UTC  opened')).toBe(true);
  });

  it('still shows an event type it does not know yet, with its actor from the metadata', () => {
    const proposal: TimelineEvent = { type: 'RunbookProposed', version: 2, occurredAt: T0, recordedAt: T0, payload: { reason: 'rate_limit runbook' }, metadata: { actor: 'remediation' } };
    const [, entry] = renderTimeline([...stream([opened()]), proposal]);
    expect(entry).toMatchObject({ what: 'runbook proposed: rate_limit runbook', actor: 'remediation', count: 1 });
    expect(entry.text).toBe('2025-03-01 10:00:00 UTC  runbook proposed: rate_limit runbook (by remediation)');
  });
});

function stream(events: IncidentEvent[]): TimelineEvent[] {
  const incidentId = randomUUID();
  return events.map((e, i) => ({
    type: e.type,
    version: i + 1,
    occurredAt: e.data.at,
    recordedAt: e.data.at,
    payload: e.type === 'IncidentOpened' ? { ...e.data, incidentId } : { ...e.data },
    metadata: {},
  }));
}
