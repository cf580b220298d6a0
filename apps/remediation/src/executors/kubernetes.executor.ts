import { readFile } from 'node:fs/promises';
import type { RemediationSettings } from '../app/remediation-config';
import { errorText, type Executor, type ExecutorResult, type StepRequest } from './executor';

type KubernetesSettings = Extract<RemediationSettings['executor'], { kind: 'kubernetes' }>['kubernetes'];

/** What `kubectl rollout restart` does: a new pod-template annotation rolls every pod. */
export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/** Actions a rollout restart carries out; anything else goes to the fallback executor. */
const RESTARTS = new Set(['restart_service', 'restart_dependency']);

/**
 * Rollout restart of a named Deployment through the API server (PATCH with a strategic merge
 * patch), authenticated with the pod's service-account token, read at each call because the
 * kubelet rotates it. The API server's certificate is trusted through NODE_EXTRA_CA_CERTS (the
 * service account's ca.crt; deploy/ sets it). Only targets mapped in REMEDIATION_K8S_DEPLOYMENTS
 * are ever restarted.
 */
export class KubernetesExecutor implements Executor {
  constructor(
    private readonly k8s: KubernetesSettings,
    private readonly fallback: Executor,
    private readonly clock: () => Date = () => new Date(),
    private readonly fetchImpl: typeof fetch = fetch,
    private readonly readToken: (file: string) => Promise<string> = async (file) => (await readFile(file, 'utf8')).trim(),
  ) {}

  async execute(request: StepRequest): Promise<ExecutorResult> {
    if (!RESTARTS.has(request.step.action)) return this.fallback.execute(request);
    const deployment = this.k8s.deployments[request.step.target];
    if (!deployment) {
      return failed(`no deployment is configured for "${request.step.target}" (REMEDIATION_K8S_DEPLOYMENTS)`, false);
    }
    const restartedAt = this.clock().toISOString();
    const url = `${this.k8s.apiUrl}/apis/apps/v1/namespaces/${encodeURIComponent(this.k8s.namespace)}/deployments/${encodeURIComponent(deployment)}`;
    try {
      const token = await this.readToken(this.k8s.tokenFile);
      const res = await this.fetchImpl(url, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/strategic-merge-patch+json', accept: 'application/json' },
        body: JSON.stringify({ spec: { template: { metadata: { annotations: { [RESTARTED_AT]: restartedAt } } } } }),
        signal: AbortSignal.timeout(this.k8s.timeoutMs),
      });
      const text = await res.text().catch(() => '');
      if (res.ok) return { executor: 'kubernetes', outcome: { ok: true, output: { namespace: this.k8s.namespace, deployment, restartedAt } } };
      const reason = kubernetesReason(text) ?? `${res.status}`;
      // 404 (no such deployment), 401/403 (RBAC): trying again cannot help; 409, 429, 5xx may.
      return failed(`PATCH deployment ${this.k8s.namespace}/${deployment}: ${res.status} ${reason}`, res.status === 409 || res.status === 429 || res.status >= 500);
    } catch (error) {
      return failed(`PATCH deployment ${this.k8s.namespace}/${deployment}: ${errorText(error)}`, true);
    }
  }
}

function failed(error: string, retryable: boolean): ExecutorResult {
  return { executor: 'kubernetes', outcome: { ok: false, error, retryable } };
}

/** The API server answers errors as a Status object; its message says what went wrong. */
function kubernetesReason(body: string): string | undefined {
  try {
    const status = JSON.parse(body) as { message?: unknown };
    return typeof status.message === 'string' ? status.message.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}
