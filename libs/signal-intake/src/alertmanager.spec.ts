import { alertmanagerToSignals, STILL_FIRING } from './alertmanager';

describe('alertmanagerToSignals (webhook version 4)', () => {
  it('maps a firing alert to a signal keyed by fingerprint, startsAt and status', () => {
    const parsed = alertmanagerToSignals(aWebhook([anAlert()]));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.value[0]).toMatchObject({
      id: 'alertmanager:a1b2c3:2026-11-27T10:00:00Z:firing',
      source: 'checkout',
      component: 'checkout-7d9f',
      message: 'Error rate above 5%',
      level: 'FATAL',
      timestamp: '2026-11-27T10:00:00Z',
      attributes: { 'alert.label.alertname': 'HighErrorRate', 'alert.label.severity': 'critical', 'alert.status': 'firing' },
    });
    expect(parsed.value[0].attributes).not.toHaveProperty('alert.endsAt');
  });

  it('makes the resolution of a firing alert a distinct signal at its end time', () => {
    const parsed = alertmanagerToSignals(
      aWebhook([anAlert({ status: 'resolved', endsAt: '2026-11-27T10:20:00Z' })], { status: 'resolved' }),
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.value[0]).toMatchObject({
      id: 'alertmanager:a1b2c3:2026-11-27T10:00:00Z:resolved',
      level: 'INFO',
      timestamp: '2026-11-27T10:20:00Z',
    });
  });

  it('accepts the newer optional fields (truncatedAlerts, notification_reason)', () => {
    const parsed = alertmanagerToSignals(aWebhook([anAlert()], { truncatedAlerts: 0, notification_reason: 'new_alert' }));
    expect(parsed.ok).toBe(true);
  });

  it('rejects another webhook version, naming the field', () => {
    const parsed = alertmanagerToSignals(aWebhook([anAlert()], { version: '3' }));
    expect(parsed).toMatchObject({ ok: false, issues: [{ at: 'version' }] });
  });

  it('names the bad alert by index', () => {
    const parsed = alertmanagerToSignals(aWebhook([anAlert(), anAlert({ fingerprint: '' })]));
    expect(parsed).toMatchObject({ ok: false, issues: [{ at: 'alerts[1].fingerprint' }] });
  });
});

function anAlert(fields: Record<string, unknown> = {}) {
  return {
    status: 'firing',
    labels: { alertname: 'HighErrorRate', severity: 'critical', service: 'checkout', pod: 'checkout-7d9f' },
    annotations: { summary: 'Error rate above 5%' },
    startsAt: '2026-11-27T10:00:00Z',
    endsAt: STILL_FIRING,
    generatorURL: 'http://prometheus/graph',
    fingerprint: 'a1b2c3',
    ...fields,
  };
}

function aWebhook(alerts: unknown[], fields: Record<string, unknown> = {}) {
  return { version: '4', groupKey: '{}:{alertname="HighErrorRate"}', status: 'firing', receiver: 'incidents', groupLabels: {}, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am', alerts, ...fields };
}
