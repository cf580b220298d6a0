import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stack } from './stack';

const root = join(__dirname, '../../../..');
// Spec files run one after another but each with its own modules: which process now runs a
// service (after a spec restarted it) is kept in a file, and global teardown stops those too.
export const RESTARTED_FILE = join(root, '.cache', 'e2e', 'restarted.json');

/** A service process a spec started itself (after killing the one global setup started). */
export interface Restarted {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

/** The pid of the process now running `name`: the last restart's, else global setup's. */
export function currentPid(name: string): number {
  return restartedPids()[name] ?? stack().pids[name];
}

function restartedPids(): Record<string, number> {
  const s = stack();
  if (!existsSync(RESTARTED_FILE)) return {};
  const file = JSON.parse(readFileSync(RESTARTED_FILE, 'utf8')) as { schema: string; pids: Record<string, number> };
  // A previous run's file is not this run's.
  return file.schema === s.schema ? file.pids : {};
}

function recordPid(name: string, pid: number): void {
  writeFileSync(RESTARTED_FILE, JSON.stringify({ schema: stack().schema, pids: { ...restartedPids(), [name]: pid } }));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} still alive after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** kill -9 by PID: no shutdown hook runs, nothing is flushed. */
export async function killHard(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  await gone(pid, 10_000);
}

/** SIGTERM by PID (a process this spec did not start, so its exit code is not ours to see). */
export async function terminate(pid: number, timeoutMs = 30_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  await gone(pid, timeoutMs);
}

/** Starts a service again with the stack's environment and waits for /readyz. */
export async function restart(name: string): Promise<Restarted> {
  const s = stack();
  const port = s.ports[name];
  const log = createWriteStream(join(s.logDir, `${name}.restarted.log`), { flags: 'a' });
  const child = spawn(join(root, 'node_modules/.bin/node'), [join(root, 'dist/apps', name, 'main.js')], {
    cwd: root,
    env: { ...s.env, HTTP_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  recordPid(name, child.pid as number);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited while restarting; see ${s.logDir}/${name}.restarted.log`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready after restart`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
