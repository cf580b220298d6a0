import { APPROVAL_RULES, type ApprovalRule } from '@incident/remediation-domain';
import { ConfigError, envProblems } from '@incident/service-runtime';
import { z } from 'zod';

const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
// Long enough that a guessed secret is not a risk; the value never appears in logs or events.
const secret = z.string().min(16, 'must be at least 16 characters');
const deployments = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'is not JSON; expected {"<target>":"<deployment>", ...}' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1), z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes deployment name')));

// Keyed by variable name, so every problem names the variable to fix (STYLE.md 9).
const EnvSchema = z
  .object({
    REMEDIATION_EXECUTOR: z.enum(['dry-run', 'webhook', 'kubernetes']).default('dry-run'),
    REMEDIATION_APPROVAL: z.enum(APPROVAL_RULES).default('production'),
    REMEDIATION_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
    REMEDIATION_RETRY_BACKOFF_MS: positive(5_000),
    REMEDIATION_RETRY_BACKOFF_MAX_MS: positive(5 * 60_000),
    REMEDIATION_WEBHOOK_URL: httpUrl.optional(),
    REMEDIATION_WEBHOOK_SECRET: secret.optional(),
    REMEDIATION_WEBHOOK_TIMEOUT_MS: positive(10_000),
    REMEDIATION_K8S_API_URL: httpUrl.default('https://kubernetes.default.svc'),
    REMEDIATION_K8S_NAMESPACE: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a Kubernetes namespace name').optional(),
    REMEDIATION_K8S_DEPLOYMENTS: deployments.optional(),
    REMEDIATION_K8S_TOKEN_FILE: z.string().min(1).default('/var/run/secrets/kubernetes.io/serviceaccount/token'),
    REMEDIATION_K8S_TIMEOUT_MS: positive(10_000),
    ESCALATION_WEBHOOK_URL: httpUrl.optional(),
    ESCALATION_WEBHOOK_SECRET: secret.optional(),
    ESCALATION_WEBHOOK_TIMEOUT_MS: positive(10_000),
    ESCALATION_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    ESCALATION_WEBHOOK_BACKOFF_MS: positive(2_000),
    REMEDIATION_TIMER_POLL_MS: positive(1_000),
    REMEDIATION_TIMER_BATCH: positive(100),
    REMEDIATION_CACHE_STREAMS: positive(1_000),
    REMEDIATION_CONFLICT_RETRIES: positive(10),
  })
  .superRefine((e, ctx) => {
    const need = (variable: keyof typeof e, why: string) => {
      if (e[variable] === undefined) ctx.addIssue({ code: 'custom', path: [variable], message: `is required ${why}` });
    };
    if (e.REMEDIATION_EXECUTOR === 'webhook') {
      need('REMEDIATION_WEBHOOK_URL', 'when REMEDIATION_EXECUTOR=webhook');
      need('REMEDIATION_WEBHOOK_SECRET', 'when REMEDIATION_EXECUTOR=webhook');
    }
    if (e.REMEDIATION_WEBHOOK_URL) need('REMEDIATION_WEBHOOK_SECRET', 'when REMEDIATION_WEBHOOK_URL is set (every call is signed)');
    // Restarting deployments is never a default: the cluster, namespace and targets are named explicitly.
    if (e.REMEDIATION_EXECUTOR === 'kubernetes') {
      need('REMEDIATION_K8S_NAMESPACE', 'when REMEDIATION_EXECUTOR=kubernetes');
      need('REMEDIATION_K8S_DEPLOYMENTS', 'when REMEDIATION_EXECUTOR=kubernetes (which deployment each target restarts)');
    }
    if (e.ESCALATION_WEBHOOK_URL) need('ESCALATION_WEBHOOK_SECRET', 'when ESCALATION_WEBHOOK_URL is set (every call is signed)');
  });

export interface WebhookTarget {
  url: string;
  secret: string;
  timeoutMs: number;
}

export interface RemediationSettings {
  executor:
    | { kind: 'dry-run' }
    | { kind: 'webhook'; webhook: WebhookTarget }
    | {
        kind: 'kubernetes';
        kubernetes: { apiUrl: string; namespace: string; deployments: Readonly<Record<string, string>>; tokenFile: string; timeoutMs: number };
        /** Actions Kubernetes cannot do (throttle, check load, ...) go here: the webhook if set, else dry run. */
        webhook?: WebhookTarget;
      };
  policy: { approval: ApprovalRule; maxAttemptsPerStep: number; retryBackoff: { initialMs: number; maxMs: number } };
  escalationWebhook?: WebhookTarget & { maxAttempts: number; backoffMs: number };
  timers: { pollIntervalMs: number; batch: number };
  cacheStreams: number;
  maxConflictRetries: number;
}

export function loadRemediationSettings(env: Record<string, string | undefined>): RemediationSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(envProblems(parsed.error));
  const e = parsed.data;
  const webhook = e.REMEDIATION_WEBHOOK_URL && e.REMEDIATION_WEBHOOK_SECRET
    ? { url: e.REMEDIATION_WEBHOOK_URL, secret: e.REMEDIATION_WEBHOOK_SECRET, timeoutMs: e.REMEDIATION_WEBHOOK_TIMEOUT_MS }
    : undefined;
  return {
    executor: executorOf(e, webhook),
    policy: {
      approval: e.REMEDIATION_APPROVAL,
      maxAttemptsPerStep: e.REMEDIATION_MAX_ATTEMPTS,
      retryBackoff: { initialMs: e.REMEDIATION_RETRY_BACKOFF_MS, maxMs: Math.max(e.REMEDIATION_RETRY_BACKOFF_MS, e.REMEDIATION_RETRY_BACKOFF_MAX_MS) },
    },
    ...(e.ESCALATION_WEBHOOK_URL && e.ESCALATION_WEBHOOK_SECRET
      ? {
          escalationWebhook: {
            url: e.ESCALATION_WEBHOOK_URL, secret: e.ESCALATION_WEBHOOK_SECRET, timeoutMs: e.ESCALATION_WEBHOOK_TIMEOUT_MS,
            maxAttempts: e.ESCALATION_WEBHOOK_MAX_ATTEMPTS, backoffMs: e.ESCALATION_WEBHOOK_BACKOFF_MS,
          },
        }
      : {}),
    timers: { pollIntervalMs: e.REMEDIATION_TIMER_POLL_MS, batch: e.REMEDIATION_TIMER_BATCH },
    cacheStreams: e.REMEDIATION_CACHE_STREAMS,
    maxConflictRetries: e.REMEDIATION_CONFLICT_RETRIES,
  };
}

function executorOf(e: z.infer<typeof EnvSchema>, webhook: WebhookTarget | undefined): RemediationSettings['executor'] {
  if (e.REMEDIATION_EXECUTOR === 'webhook' && webhook) return { kind: 'webhook', webhook };
  if (e.REMEDIATION_EXECUTOR === 'kubernetes' && e.REMEDIATION_K8S_NAMESPACE && e.REMEDIATION_K8S_DEPLOYMENTS) {
    const kubernetes = {
      apiUrl: e.REMEDIATION_K8S_API_URL.replace(/\/+$/, ''), namespace: e.REMEDIATION_K8S_NAMESPACE, deployments: e.REMEDIATION_K8S_DEPLOYMENTS,
      tokenFile: e.REMEDIATION_K8S_TOKEN_FILE, timeoutMs: e.REMEDIATION_K8S_TIMEOUT_MS,
    };
    return { kind: 'kubernetes', kubernetes, ...(webhook ? { webhook } : {}) };
  }
  return { kind: 'dry-run' };
}
