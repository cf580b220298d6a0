import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, stopServices } from '../../../../tools/stack/stack.mjs';

export default async function globalTeardown() {
  const stack = globalThis.__E2E_STACK__;
  if (!stack) return;
  await stopServices(stack.services);
  await stopRestarted(stack.schema);
  // After the services: nothing calls the webhook any more.
  await stack.webhook?.close();
  const { dropSchema } = await import('./migrate.mjs');
  if (!process.env.E2E_KEEP_SCHEMA) await dropSchema(stack.adminUrl, stack.schema);
}

/** The processes specs started in place of the stack's (support/processes.ts restart()). */
async function stopRestarted(schema) {
  const file = join(root, '.cache', 'e2e', 'restarted.json');
  if (!existsSync(file)) return;
  const { schema: of, pids } = JSON.parse(readFileSync(file, 'utf8'));
  if (of !== schema) return;
  const alive = (pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const running = Object.values(pids).filter(alive);
  for (const pid of running) process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 25_000;
  while (running.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const pid of running.filter(alive)) process.kill(pid, 'SIGKILL');
}
