/** Where a command reads its environment and writes its output: the process, or a test's buffers. */
export interface Io {
  env: Readonly<Record<string, string | undefined>>;
  stdout: Output;
  stderr: Output;
}

export interface Output {
  write(text: string): void;
  /** A terminal gets progress redrawn in place; a pipe or a log file gets an occasional line. */
  isTTY?: boolean;
}

// No SIGINT handler: Ctrl-C ends the process at once, and whatever transaction was in flight rolls
// back with its connection (a rebuild's batches commit one by one, like the projector's).
export function processIo(): Io {
  // `incidentctl verify | head -3`: once the reader is gone, further output is dropped instead of
  // crashing on EPIPE, and the command still ends with its own exit code (what `set -o pipefail` sees).
  let stdoutClosed = false;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stdoutClosed = true;
  });
  return {
    env: process.env,
    stdout: { write: (text) => void (stdoutClosed || process.stdout.write(text)), isTTY: process.stdout.isTTY === true },
    stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
  };
}
