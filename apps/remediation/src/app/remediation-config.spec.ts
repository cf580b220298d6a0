import { loadRemediationSettings } from './remediation-config';

const SECRET = 's3cr3t-s3cr3t-s3cr3t';

describe('remediation settings', () => {
  it('runs steps in dry run, asks approval for production steps, and sends no escalation webhook by default', () => {
    expect(loadRemediationSettings({})).toEqual({
      executor: { kind: 'dry-run' },
      policy: { approval: 'production', maxAttemptsPerStep: 3, retryBackoff: { initialMs: 5_000, maxMs: 300_000 } },
      timers: { pollIntervalMs: 1_000, batch: 100 },
      cacheStreams: 1_000,
      maxConflictRetries: 10,
    });
  });

  it('signs webhook calls: the webhook executor needs a URL and a secret', () => {
    expect(() => loadRemediationSettings({ REMEDIATION_EXECUTOR: 'webhook' })).toThrow(/REMEDIATION_WEBHOOK_URL: is required[\s\S]*REMEDIATION_WEBHOOK_SECRET: is required/);
    expect(loadRemediationSettings({ REMEDIATION_EXECUTOR: 'webhook', REMEDIATION_WEBHOOK_URL: 'https://hooks.example/remediate', REMEDIATION_WEBHOOK_SECRET: SECRET }).executor).toEqual({
      kind: 'webhook',
      webhook: { url: 'https://hooks.example/remediate', secret: SECRET, timeoutMs: 10_000 },
    });
  });

  it('restarts deployments only when the namespace and the deployment of each target are named', () => {
    expect(() => loadRemediationSettings({ REMEDIATION_EXECUTOR: 'kubernetes' })).toThrow(/REMEDIATION_K8S_NAMESPACE[\s\S]*REMEDIATION_K8S_DEPLOYMENTS/);
    const settings = loadRemediationSettings({ REMEDIATION_EXECUTOR: 'kubernetes', REMEDIATION_K8S_NAMESPACE: 'agents', REMEDIATION_K8S_DEPLOYMENTS: '{"plugin-host":"plugin-server","postgresql":"postgres"}' });
    expect(settings.executor).toMatchObject({ kind: 'kubernetes', kubernetes: { apiUrl: 'https://kubernetes.default.svc', namespace: 'agents', deployments: { 'plugin-host': 'plugin-server' } } });
  });

  it('names each bad variable', () => {
    expect(() =>
      loadRemediationSettings({ REMEDIATION_APPROVAL: 'sometimes', REMEDIATION_K8S_DEPLOYMENTS: '{nope', ESCALATION_WEBHOOK_URL: 'ftp://x', REMEDIATION_WEBHOOK_SECRET: 'short' }),
    ).toThrow(/REMEDIATION_APPROVAL[\s\S]*REMEDIATION_WEBHOOK_SECRET[\s\S]*REMEDIATION_K8S_DEPLOYMENTS[\s\S]*ESCALATION_WEBHOOK_URL/);
  });

  it('sends escalations to the configured webhook, signed', () => {
    expect(() => loadRemediationSettings({ ESCALATION_WEBHOOK_URL: 'http://127.0.0.1:9/escalations' })).toThrow(/ESCALATION_WEBHOOK_SECRET: is required/);
    expect(loadRemediationSettings({ ESCALATION_WEBHOOK_URL: 'http://127.0.0.1:9/escalations', ESCALATION_WEBHOOK_SECRET: SECRET }).escalationWebhook).toEqual({
      url: 'http://127.0.0.1:9/escalations', secret: SECRET, timeoutMs: 10_000, maxAttempts: 5, backoffMs: 2_000,
    });
  });
});
