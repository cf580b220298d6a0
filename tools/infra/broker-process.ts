// The broker's process after `up` has exited: found again through the pid file, checked to be
// our broker (PIDs get reused; `down` must never kill anything else), stopped by signal.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { kafkaPaths } from './config';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A zombie still answers kill(0); Linux tells us its state in /proc.
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** Command line of pid, or '' if unknown. /proc on Linux, `ps` elsewhere. */
function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    try {
      return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], {
        encoding: 'utf8',
      });
    } catch {
      return '';
    }
  }
}

/** PID of the broker this project started, if its pid file names a live process that is it. */
export function ourRunningBroker(): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(kafkaPaths.pid, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  const ours =
    Number.isInteger(pid) &&
    pid > 1 &&
    isAlive(pid) &&
    commandLine(pid).includes('kafka.Kafka') &&
    commandLine(pid).includes(kafkaPaths.serverProperties);
  if (ours) return pid;
  fs.rmSync(kafkaPaths.pid, { force: true }); // stale: the broker died or the PID was reused
  return undefined;
}

async function waitUntilGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return !isAlive(pid);
}

/** SIGTERM (Kafka shuts down cleanly, ~2 s here), up to 20 s, then SIGKILL. */
export async function stopBroker(): Promise<
  'stopped' | 'killed' | 'not-running'
> {
  const pid = ourRunningBroker();
  if (pid === undefined) return 'not-running';
  process.kill(pid, 'SIGTERM');
  let how: 'stopped' | 'killed' = 'stopped';
  if (!(await waitUntilGone(pid, 20_000))) {
    process.kill(pid, 'SIGKILL');
    how = 'killed';
    await waitUntilGone(pid, 5_000);
  }
  fs.rmSync(kafkaPaths.pid, { force: true });
  return how;
}

export function logTail(lines = 40): string {
  try {
    return fs
      .readFileSync(kafkaPaths.log, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no broker.log)';
  }
}
