// `npm start`: infrastructure up, services built and started as their own processes, the base
// URL and an admin key printed. Ctrl-C stops the services, then the broker if this run started it.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { appDatabaseUrl, newAdminKey, readInfraEnv, root, startServices, stopServices } from './stack.mjs';

const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

run(bin('tsx'), ['tools/infra/infra.ts', 'up']);
const infra = readInfraEnv();
run(bin('nx'), ['run-many', '-t', 'build', '-p', 'ingest', 'classifier', 'correlation', 'remediation', 'postmortem']);

const adminKey = process.env.INCIDENT_ADMIN_KEY ?? newAdminKey();
const env = {
  ...process.env,
  NODE_ENV: process.env.NODE_ENV ?? 'development',
  DATABASE_URL: appDatabaseUrl(infra.DATABASE_URL ?? process.env.DATABASE_URL),
  KAFKA_BROKERS: infra.KAFKA_BROKERS ?? process.env.KAFKA_BROKERS,
  INCIDENT_ADMIN_KEY: adminKey,
};
const logDir = join(root, '.cache', 'logs');
const services = await startServices({ env, logDir });
const base = `http://127.0.0.1:${services[0].port}`;

console.log(`
Incident platform is up.
  base URL   ${base}   (API docs: ${base}/docs)
  admin key  ${adminKey}
  logs       ${logDir}/<service>.log
  services   ${services.map((s) => `${s.name}:${s.port} (pid ${s.child.pid})`).join(', ')}

Send a first signal:
  curl -sS -X POST ${base}/v1/signals -H "Authorization: Bearer ${adminKey}" \\
    -H 'Content-Type: application/json' \\
    -d '{"source":"api-gateway","component":"agent:code-review","level":"FATAL","message":"Rate limit exceeded","errorCode":429}'
  curl -sS ${base}/v1/incidents -H "Authorization: Bearer ${adminKey}"

Ctrl-C stops everything.
`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping services...');
  await stopServices(services);
  if (infra.STARTED_KAFKA === '1') run(bin('tsx'), ['tools/infra/infra.ts', 'down']);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const s of services) {
  s.exited.then(({ code, signal }) => {
    if (!stopping) console.error(`${s.name} exited (${code ?? signal}); see ${logDir}/${s.name}.log`);
  });
}
