import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { stack } from './stack';

const root = join(__dirname, '../../../..');

/** A service process a spec started itself (after killing the one global setup started). */
export interface Restarted {
  child: ChildProcess;
  stop(): Promise<void>;
}

/** kill -9 by PID: no shutdown hook runs, nothing is flushed. */
export async function killHard(pid: number): Promise<void> {
  process.kill(pid, 'SIGKILL');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return; // gone
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`process ${pid} survived SIGKILL`);
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
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
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
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
