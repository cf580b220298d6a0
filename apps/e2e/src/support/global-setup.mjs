// Starts the real stack for the end-to-end tier: a scratch schema of the event log (migrated
// as the owner, used by the services as incident_app), the services as processes on their own
// ports, an admin key and a read-only key, and the webhook remediation runs its steps against
// (support/webhook-recorder.mjs, in this process). Writes what the specs need to a file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appDatabaseUrl, newAdminKey, readInfraEnv, root, startServices } from '../../../../tools/stack/stack.mjs';
import { createHash } from 'node:crypto';

export const STACK_FILE = join(root, '.cache', 'e2e', 'stack.json');

export default async function globalSetup() {
  const infra = readInfraEnv();
  const adminUrl = process.env.DATABASE_URL ?? infra.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/incidents';
  const brokers = process.env.KAFKA_BROKERS ?? infra.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set and .cache/infra.env is missing: run `npm run infra:up` first');
  const schema = `e2e_${randomBytes(4).toString('hex')}`;
  const { migrate } = await import('./migrate.mjs');
  await migrate(adminUrl, schema);
  const { FAILING_TARGET_PREFIX, HOOK_PATH, startWebhookRecorder } = await import('./webhook-recorder.mjs');
  const webhook = await startWebhookRecorder();
  // A new secret per run: the specs check each delivery's signature with it.
  const webhookSecret = randomBytes(24).toString('base64url');

  const adminKey = newAdminKey();
  const readerKey = `ik_reader_${randomBytes(24).toString('base64url')}`;
  const sha256 = (k) => createHash('sha256').update(k).digest('hex');
  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: appDatabaseUrl(adminUrl),
    EVENT_LOG_SCHEMA: schema,
    KAFKA_BROKERS: brokers,
    INCIDENT_ADMIN_KEY: adminKey,
    INCIDENT_API_KEYS: JSON.stringify([{ name: 'e2e-reader', scopes: ['incidents:read'], sha256: sha256(readerKey) }]),
    // Small enough that the storm test can pass it, large enough that other specs never do.
    SIGNAL_RATE_PER_SECOND: '50000',
    SIGNAL_RATE_BURST: '100000',
    // Remediation runs its steps through the webhook executor against the recorder (issue 4:
    // signed deliveries, failures retried within bounds); short back-off and timeouts so a failing
    // step uses up its attempts in about a second. Deadlines and due steps checked every half
    // second so an escalation due in event time shows up quickly.
    REMEDIATION_EXECUTOR: 'webhook',
    REMEDIATION_WEBHOOK_URL: `${webhook.url}${HOOK_PATH}`,
    REMEDIATION_WEBHOOK_SECRET: webhookSecret,
    REMEDIATION_WEBHOOK_TIMEOUT_MS: '2000',
    REMEDIATION_MAX_ATTEMPTS: '3',
    REMEDIATION_RETRY_BACKOFF_MS: '200',
    REMEDIATION_RETRY_BACKOFF_MAX_MS: '1000',
    REMEDIATION_TIMER_POLL_MS: '500',
  };
  const ports = { ingest: 18080, classifier: 18081, correlation: 18082, remediation: 18083, postmortem: 18084 };
  const logDir = join(root, '.cache', 'e2e', schema);
  // Issue 6: each service writes its spans to a file of its own (tracing.e2e.spec), and a stop on
  // SIGTERM must finish within this budget (graceful-stop.e2e.spec).
  Object.assign(env, { INCIDENT_TRACE_FILE: join(logDir, 'traces-{service}.jsonl'), SHUTDOWN_TIMEOUT_MS: '15000' });
  // Ingest forwards the remediation API (the one base URL of DESIGN.md) to this stack's remediation.
  env.REMEDIATION_URL = `http://127.0.0.1:${ports.remediation}`;
  let services;
  try {
    services = await startServices({ env, logDir, ports });
  } catch (error) {
    await webhook.close();
    throw error;
  }
  globalThis.__E2E_STACK__ = { services, schema, adminUrl, webhook };
  mkdirSync(join(root, '.cache', 'e2e'), { recursive: true });
  writeFileSync(
    STACK_FILE,
    JSON.stringify(
      {
        baseUrl: `http://127.0.0.1:${ports.ingest}`, adminKey, readerKey, schema, adminUrl, logDir, env, ports,
        pids: Object.fromEntries(services.map((s) => [s.name, s.child.pid])),
        webhook: { url: webhook.url, hookUrl: env.REMEDIATION_WEBHOOK_URL, secret: webhookSecret, failingTargetPrefix: FAILING_TARGET_PREFIX, maxAttempts: Number(env.REMEDIATION_MAX_ATTEMPTS) },
      },
      null,
      2,
    ),
  );
}
