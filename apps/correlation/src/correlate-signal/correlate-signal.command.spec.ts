import type { SignalClassifiedV2 } from '@incident/contracts';
import { correlateSignalCommand, incidentIdFor, observationOf } from './correlate-signal.command';

describe('SignalClassified -> CorrelateSignal', () => {
  it('observes the signal at its event time, normalised to UTC so times compare as strings', () => {
    expect(observationOf(classified({ at: '2026-03-01T12:00:00+02:00' })).at).toBe('2026-03-01T10:00:00.000Z');
  });

  it('carries what the decider reads: level, message, component, user (by pseudonym), error code and alert', () => {
    const alert = { fingerprint: 'f00d', status: 'firing' as const, severity: 'critical' };
    const userRef = `usr_${'1'.repeat(32)}`;
    expect(observationOf(classified({ userRef, alert }))).toEqual({
      signalId: 'sig-1',
      at: '2026-03-01T10:00:00.000Z',
      level: 'ERROR',
      message: 'Rate limit exceeded',
      component: 'agent:planner',
      userId: userRef,
      errorCode: '429',
      alert,
    });
  });

  it('leaves out what the signal did not say, rather than recording undefined', () => {
    expect(Object.keys(observationOf(classified({ component: undefined, errorCode: undefined })))).toEqual(['signalId', 'at', 'level', 'message']);
  });

  it('names the incident it would open after the signal, so a retried decision opens the same incident', () => {
    const command = correlateSignalCommand(classified(), undefined);
    expect(command).toMatchObject({ kind: 'CorrelateSignal', incidentIdIfOpened: incidentIdFor('sig-1') });
    expect(incidentIdFor('sig-1')).toBe(incidentIdFor('sig-1'));
    expect(incidentIdFor('sig-1')).not.toBe(incidentIdFor('sig-2'));
  });

  it("refers to the classifier's decision: type, fingerprint, source, rule and rule-set version", () => {
    expect(correlateSignalCommand(classified(), undefined)).toMatchObject({
      classification: { type: 'rate_limit', fingerprint: 'checkout|agent:planner|rate_limit', source: 'checkout', ruleId: 'rate-limit.http-429', ruleSetVersion: 'classifier-rules/v1' },
    });
  });

  it("passes the source's latest traffic sample along when there is one", () => {
    const traffic = { windowStart: '2026-03-01T09:59:00.000Z', windowEnd: '2026-03-01T10:00:00.000Z', requests: 100, errors: 60 };
    expect(correlateSignalCommand(classified(), traffic)).toMatchObject({ traffic });
    expect(correlateSignalCommand(classified(), undefined)).not.toHaveProperty('traffic');
  });
});

function classified(fields: Partial<SignalClassifiedV2> = {}): SignalClassifiedV2 {
  return {
    signalId: 'sig-1',
    source: 'checkout',
    at: '2026-03-01T10:00:00.000Z',
    level: 'ERROR',
    message: 'Rate limit exceeded',
    component: 'agent:planner',
    errorCode: '429',
    classification: {
      type: 'rate_limit',
      fingerprint: 'checkout|agent:planner|rate_limit',
      ruleId: 'rate-limit.http-429',
      ruleSetVersion: 'classifier-rules/v1',
      evidence: { errorCode: '429' },
    },
    ...fields,
  };
}
