import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProposedStep } from '@incident/remediation-domain';
import { testServer } from '../int-support/fixture';
import { DryRunExecutor } from './dry-run.executor';
import { KubernetesExecutor, RESTARTED_AT } from './kubernetes.executor';

// A local HTTP server stands in for the API server; the token file is a real file, read per call.
describe('Kubernetes executor: rollout restart through the API server', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'remediation-k8s-'));
  const tokenFile = path.join(dir, 'token');
  const now = new Date('2025-12-24T14:42:00.000Z');

  function executor(apiUrl: string) {
    writeFileSync(tokenFile, 'sa-token-1\n');
    return new KubernetesExecutor(
      { apiUrl, namespace: 'agents', deployments: { 'plugin-host': 'plugin-server', postgresql: 'postgres' }, tokenFile, timeoutMs: 2_000 },
      new DryRunExecutor(),
      () => now,
    );
  }

  it('PATCHes the mapped deployment with the restartedAt annotation, as kubectl rollout restart does, with the service-account token', async () => {
    const api = await testServer(() => ({ status: 200, body: '{}' }));
    try {
      const result = await executor(api.url).execute(request(step('restart_service', 'plugin-host')));
      expect(result).toEqual({ executor: 'kubernetes', outcome: { ok: true, output: { namespace: 'agents', deployment: 'plugin-server', restartedAt: now.toISOString() } } });
      expect(api.received).toHaveLength(1);
      const [call] = api.received;
      expect(call).toMatchObject({
        method: 'PATCH',
        path: '/apis/apps/v1/namespaces/agents/deployments/plugin-server',
        headers: { authorization: 'Bearer sa-token-1', 'content-type': 'application/strategic-merge-patch+json' },
      });
      expect(JSON.parse(call.body)).toEqual({ spec: { template: { metadata: { annotations: { [RESTARTED_AT]: now.toISOString() } } } } });
    } finally {
      await api.close();
    }
  });

  it('reads the token again on every call, since the kubelet rotates it', async () => {
    const api = await testServer(() => ({ status: 200, body: '{}' }));
    try {
      const k8s = executor(api.url);
      await k8s.execute(request(step('restart_dependency', 'postgresql')));
      writeFileSync(tokenFile, 'sa-token-2');
      await k8s.execute(request(step('restart_dependency', 'postgresql')));
      expect(api.received.map((c) => [c.path, c.headers.authorization])).toEqual([
        ['/apis/apps/v1/namespaces/agents/deployments/postgres', 'Bearer sa-token-1'],
        ['/apis/apps/v1/namespaces/agents/deployments/postgres', 'Bearer sa-token-2'],
      ]);
    } finally {
      await api.close();
    }
  });

  it('fails without retry when RBAC forbids the patch, naming the API server\'s reason; retries on 5xx', async () => {
    const api = await testServer((_, n) =>
      n === 1 ? { status: 403, body: JSON.stringify({ kind: 'Status', message: 'deployments.apps "plugin-server" is forbidden' }) } : { status: 503, body: '' },
    );
    try {
      const k8s = executor(api.url);
      expect((await k8s.execute(request(step('restart_service', 'plugin-host')))).outcome).toEqual({
        ok: false, retryable: false, error: 'PATCH deployment agents/plugin-server: 403 deployments.apps "plugin-server" is forbidden',
      });
      expect((await k8s.execute(request(step('restart_service', 'plugin-host')))).outcome).toMatchObject({ ok: false, retryable: true });
    } finally {
      await api.close();
    }
  });

  it('never restarts a target that is not mapped, and leaves other actions to the fallback executor', async () => {
    const api = await testServer();
    try {
      const k8s = executor(api.url);
      expect((await k8s.execute(request(step('restart_service', 'checkout')))).outcome).toEqual({
        ok: false, retryable: false, error: 'no deployment is configured for "checkout" (REMEDIATION_K8S_DEPLOYMENTS)',
      });
      expect(await k8s.execute(request(step('throttle', 'plugin-host')))).toMatchObject({ executor: 'dry-run', outcome: { ok: true } });
      expect(api.received).toHaveLength(0);
    } finally {
      await api.close();
    }
  });
});

function step(action: ProposedStep['action'], target: string): ProposedStep {
  return { id: 'restart', action, description: 'restart it', production: true, params: {}, target, requiresApproval: false };
}

function request(s: ProposedStep) {
  return { incidentId: 'i-1', runId: 'run-1', step: s, attempt: 1, deliveryId: 'd-1' };
}
