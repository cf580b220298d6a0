// Starts the services as separate processes (the built bundles under dist/apps) and stops them
// by their own PIDs. Shared by `npm start` and the end-to-end tests, so both run the stack the
// same way. Plain ESM: it needs nothing compiled.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVICES = [
  { name: 'ingest', port: 8080 },
  { name: 'classifier', port: 8081 },
  { name: 'correlation', port: 8082 },
  { name: 'postmortem', port: 8084 },
  { name: 'remediation', port: 8083 },
];

export function readInfraEnv() {
  const file = join(root, '.cache', 'infra.env');
  if (!existsSync(file)) return {};
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return env;
}

/** The services connect as the least-privileged application role, not as the admin user. */
export function appDatabaseUrl(adminUrl) {
  const url = new URL(adminUrl);
  url.username = 'incident_app';
  url.password = process.env.INCIDENT_APP_PASSWORD ?? '';
  return url.toString();
}

export function newAdminKey() {
  return `ik_admin_${randomBytes(24).toString('base64url')}`;
}

/**
 * Spawns every service with `env` plus its port; resolves once each answers /readyz with 200.
 * Logs go to `logDir/<service>.log`.
 */
export async function startServices({ env, logDir, ports = {}, readyTimeoutMs = 60_000 }) {
  mkdirSync(logDir, { recursive: true });
  const node = join(root, 'node_modules', '.bin', 'node');
  // Ingest forwards the remediation API to remediation, wherever this stack put it.
  env = { REMEDIATION_URL: `http://127.0.0.1:${ports.remediation ?? 8083}`, ...env };
  const running = [];
  for (const s of SERVICES) {
    const port = ports[s.name] ?? s.port;
    const main = join(root, 'dist', 'apps', s.name, 'main.js');
    if (!existsSync(main)) throw new Error(`${main} is missing: build first (npx nx run-many -t build)`);
    const log = createWriteStream(join(logDir, `${s.name}.log`), { flags: 'a' });
    const child = spawn(node, [main], { cwd: root, env: { ...env, HTTP_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    running.push({ ...s, port, child, exited: new Promise((r) => child.once('exit', (code, signal) => r({ code, signal }))) });
  }
  try {
    await Promise.all(running.map((s) => waitReady(s, readyTimeoutMs, logDir)));
  } catch (error) {
    await stopServices(running);
    throw error;
  }
  return running;
}

async function waitReady(service, timeoutMs, logDir) {
  const deadline = Date.now() + timeoutMs;
  let exit;
  service.exited.then((e) => (exit = e));
  while (Date.now() < deadline) {
    if (exit) throw new Error(`${service.name} exited (${exit.code ?? exit.signal}) before it was ready; see ${join(logDir, service.name + '.log')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${service.port}/readyz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} was not ready within ${timeoutMs} ms; see ${join(logDir, service.name + '.log')}`);
}

/** SIGTERM each service (by its PID), SIGKILL what is still alive after the grace period. */
export async function stopServices(running, graceMs = 25_000) {
  await Promise.all(
    running.map(async (s) => {
      if (s.child.exitCode !== null || s.child.signalCode !== null) return;
      s.child.kill('SIGTERM');
      const timer = setTimeout(() => s.child.kill('SIGKILL'), graceMs);
      await s.exited;
      clearTimeout(timer);
    }),
  );
}

/** Kill one service hard (the crash tests), then start it again with the same env. */
export function killHard(service) {
  service.child.kill('SIGKILL');
  return service.exited;
}
