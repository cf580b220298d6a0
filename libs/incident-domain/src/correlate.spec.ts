import { CorrelationHarness, minutes, traffic } from './testing';

const T0 = '2026-11-27T10:00:00.000Z';

describe('correlation: opening incidents', () => {
  it('opens nothing for nine failures in the window, and opens on the tenth', () => {
    const h = new CorrelationHarness();
    for (let i = 0; i < 9; i++) expect(h.signal({ at: minutes(T0, i * 0.1) }).incidentEvents).toEqual([]);
    const decision = h.signal({ at: minutes(T0, 1) });
    expect(decision.incidentEvents[0]).toMatchObject({ type: 'IncidentOpened', data: { basis: { rule: 'open.failure-count' } } });
    expect(h.incident).toMatchObject({ status: 'open', severity: 'SEV-3', impact: { signalCount: 10 } });
  });

  it('does not count failures that fell out of the window', () => {
    const h = new CorrelationHarness();
    for (let i = 0; i < 9; i++) h.signal({ at: minutes(T0, i) });
    expect(h.signal({ at: minutes(T0, 30) }).incidentEvents).toEqual([]);
  });

  it('opens at once on a FATAL signal', () => {
    const h = new CorrelationHarness();
    const decision = h.signal({ at: T0, level: 'FATAL', message: 'Error: ECONNREFUSED 127.0.0.1:5432' });
    expect(decision.incidentEvents[0]).toMatchObject({ type: 'IncidentOpened', data: { basis: { rule: 'open.fatal' } } });
  });

  it('opens when the source error rate is above 5%, with the rate on the incident', () => {
    const h = new CorrelationHarness();
    h.signal({ at: T0 }, traffic(100, 6, T0));
    expect(h.incident).toMatchObject({ status: 'open', impact: { errorRate: 0.06 } });
  });

  it('does not open on the error rate of a sample whose window ended more than the window before or after the signal', () => {
    const h = new CorrelationHarness();
    expect(h.signal({ at: T0 }, traffic(100, 60, minutes(T0, -6))).incidentEvents).toEqual([]);
    expect(h.signal({ at: T0 }, traffic(100, 60, minutes(T0, 6))).incidentEvents).toEqual([]);
    expect(h.signal({ at: T0 }, traffic(100, 60, minutes(T0, -5))).incidentEvents[0]).toMatchObject({ type: 'IncidentOpened', data: { basis: { rule: 'open.error-rate' } } });
  });

  it('does not open on an error rate of exactly 5%', () => {
    const h = new CorrelationHarness();
    expect(h.signal({ at: T0 }, traffic(100, 5, T0)).incidentEvents).toEqual([]);
  });

  it('opens a SEV-2 for a firing critical alert', () => {
    const h = new CorrelationHarness();
    h.signal({ at: T0, level: 'FATAL', alert: { fingerprint: 'f1', status: 'firing', severity: 'critical' } });
    expect(h.incident).toMatchObject({ status: 'open', severity: 'SEV-2' });
  });

  it('never opens on warnings alone', () => {
    const h = new CorrelationHarness();
    for (let i = 0; i < 50; i++) expect(h.signal({ at: minutes(T0, i * 0.01), level: 'WARN' }).incidentEvents).toEqual([]);
  });
});

describe('correlation: one incident per fingerprint', () => {
  it('counts a storm of ten thousand 429s on one incident', () => {
    const h = new CorrelationHarness();
    for (let i = 0; i < 10_000; i++) h.signal({ at: new Date(Date.parse(T0) + i * 10).toISOString(), userId: `user-${i % 250}` });
    expect(h.opened).toHaveLength(1);
    expect(h.incident).toMatchObject({ status: 'open', impact: { signalCount: 10_000, affectedUsers: 250 } });
  });

  it('records spikes per bucket and the busiest component', () => {
    const h = new CorrelationHarness();
    for (let i = 0; i < 150; i++) h.signal({ at: minutes(T0, i * 0.1), component: i % 3 === 0 ? 'agent:planner' : 'agent:code-review' });
    expect(h.incident).toMatchObject({ impact: { buckets: { [T0]: 150 }, busiestComponent: { component: 'agent:code-review', signals: 100 } } });
  });
});

describe('correlation: severity follows the error rate', () => {
  it('raises SEV-3 to SEV-2 at 50% and to SEV-1 at 90%, recording each reason', () => {
    const h = new CorrelationHarness();
    h.signal({ at: T0 }, traffic(100, 10, T0));
    expect(h.incident).toMatchObject({ severity: 'SEV-3' });
    const sev2 = h.run({ kind: 'MeasureErrorRate', traffic: traffic(100, 68, minutes(T0, 1)) });
    expect(sev2.incidentEvents[1]).toMatchObject({ type: 'SeverityChanged', data: { from: 'SEV-3', to: 'SEV-2', reason: 'major degradation: 68.0% error rate' } });
    h.run({ kind: 'MeasureErrorRate', traffic: traffic(100, 95, minutes(T0, 2)) });
    expect(h.incident).toMatchObject({ severity: 'SEV-1', impact: { errorRate: 0.95, peakErrorRate: 0.95 } });
  });

  it('never lowers severity by itself when the rate falls', () => {
    const h = new CorrelationHarness();
    h.signal({ at: T0 }, traffic(100, 60, T0));
    const decision = h.run({ kind: 'MeasureErrorRate', traffic: traffic(100, 7, minutes(T0, 1)) });
    expect(decision.incidentEvents.map((e) => e.type)).toEqual(['ErrorRateMeasured']);
    expect(h.incident).toMatchObject({ severity: 'SEV-2', impact: { errorRate: 0.07, peakErrorRate: 0.6 } });
  });
});

describe('correlation: resolution', () => {
  it('resolves when its alert resolves, and the next firing opens a new incident', () => {
    const h = new CorrelationHarness();
    h.signal({ at: T0, level: 'FATAL', alert: { fingerprint: 'f1', status: 'firing', severity: 'critical' } });
    h.signal({ at: minutes(T0, 20), level: 'INFO', alert: { fingerprint: 'f1', status: 'resolved' } });
    expect(h.incident).toMatchObject({ status: 'resolved', resolvedAt: minutes(T0, 20) });
    h.signal({ at: minutes(T0, 40), level: 'FATAL', alert: { fingerprint: 'f1', status: 'firing', severity: 'critical' } });
    expect(h.opened).toHaveLength(2);
  });

  it('ignores the resolution of an alert the incident never saw', () => {
    const h = new CorrelationHarness();
    h.signal({ at: T0, level: 'FATAL' });
    expect(h.signal({ at: minutes(T0, 1), level: 'INFO', alert: { fingerprint: 'other', status: 'resolved' } }).incidentEvents).toEqual([]);
  });

  it('resolves after the quiet period, at the end of the quiet period in event time', () => {
    const h = new CorrelationHarness();
    h.signal({ at: T0, level: 'FATAL' });
    h.run({ kind: 'FireResolveTimer', firedAt: minutes(T0, 31) });
    expect(h.incident).toMatchObject({ status: 'resolved', resolvedAt: minutes(T0, 30) });
  });

  it('sets the timer again when a signal arrived during the quiet period', () => {
    const h = new CorrelationHarness();
    h.signal({ at: T0, level: 'FATAL' });
    h.signal({ at: minutes(T0, 20) });
    const decision = h.run({ kind: 'FireResolveTimer', firedAt: minutes(T0, 30) });
    expect(decision.incidentEvents).toEqual([{ type: 'ResolveTimerScheduled', data: expect.objectContaining({ dueAt: minutes(T0, 50) }) }]);
    expect(h.incident.status).toBe('open');
  });

  it('decides the same events for the same command and state (replay)', () => {
    const a = new CorrelationHarness();
    const b = new CorrelationHarness();
    for (const h of [a, b]) for (let i = 0; i < 12; i++) h.signal({ at: minutes(T0, i * 0.1), userId: `u${i}` });
    expect(a.incident).toEqual(b.incident);
  });
});
