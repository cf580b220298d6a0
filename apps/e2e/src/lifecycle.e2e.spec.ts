import { api, eventually, incidentsOf, uniqueSource } from './support/stack';

// Issue 3 acceptance: playbook-format log lines and an Alertmanager firing-then-resolved pair
// each open and then resolve their incident.
describe('incidents open and resolve', () => {
  it('opens on playbook log lines and resolves after the quiet period, in event time', async () => {
    const source = uniqueSource('plugin-host');
    // Two hours ago: the 30-minute quiet period has passed in event time, so the recorded
    // resolve timer is already due and fires on the correlation service's next poll.
    const t = new Date(Date.now() - 2 * 3_600_000);
    const at = (s: number) => new Date(t.getTime() + s * 1_000).toISOString();
    const body = `[${at(0)}] [FATAL] [plugin-server] Error: ECONNREFUSED 127.0.0.1:5432
  errorCode: ECONNREFUSED
  restarts: 47
[${at(5)}] [ERROR] [plugin-server] Error: ECONNREFUSED 127.0.0.1:5432
  errorCode: ECONNREFUSED
  stack: Error: connect ECONNREFUSED 127.0.0.1:5432
    at TCPConnectWrap.afterConnect (node:net:1555:16)
`;
    const res = await api('POST', `/v1/signals/logs?source=${source}`, { text: body });
    expect(res.status).toBe(202);
    const [incident] = await eventually(async () => {
      const found = await incidentsOf(source, 'plugin_crash');
      return found[0]?.status === 'resolved' ? found : undefined;
    }, 60_000, 'the plugin_crash incident to open and resolve');
    expect(incident.signalCount).toBe(2);
  });

  it('opens on a firing critical alert and resolves when the alert resolves', async () => {
    const source = uniqueSource('checkout');
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alert = {
      labels: { alertname: 'HighErrorRate', severity: 'critical', service: source },
      annotations: { summary: 'Error rate above 5%' },
      startsAt,
      fingerprint: `fp-${source}`,
    };
    const webhook = (status: 'firing' | 'resolved', endsAt: string) => ({
      version: '4', groupKey: `{}:{service="${source}"}`, status, receiver: 'incidents', groupLabels: {}, commonLabels: {},
      commonAnnotations: {}, externalURL: 'http://alertmanager', truncatedAlerts: 0,
      alerts: [{ ...alert, status, endsAt, generatorURL: 'http://prometheus' }],
    });
    expect((await api('POST', '/v1/signals/alertmanager', { json: webhook('firing', '0001-01-01T00:00:00Z') })).status).toBe(202);
    const [open] = await eventually(async () => {
      const found = await incidentsOf(source);
      return found.length > 0 ? found : undefined;
    }, 30_000, 'the alert incident to open');
    expect(open).toMatchObject({ severity: 'SEV-2', status: 'open' });
    expect((await api('POST', '/v1/signals/alertmanager', { json: webhook('resolved', new Date().toISOString()) })).status).toBe(202);
    await eventually(async () => ((await incidentsOf(source))[0]?.status === 'resolved' ? true : undefined), 30_000, 'the alert incident to resolve');
    expect(await incidentsOf(source)).toHaveLength(1);
  });
});
