import type { Io } from '../cli/io';
import { run } from '../cli/run';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON document --json prints. */
  json<T = Record<string, unknown>>(): T;
}

/** Runs incidentctl in-process, as the launcher would, with the output captured. */
export async function runCli(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    env,
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: false },
  };
  const code = await run(args, io);
  return { code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T };
}
