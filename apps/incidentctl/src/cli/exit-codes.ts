/**
 * What scripts can rely on. 1 is reserved for a definite "no" about the log (verification failed,
 * an incident not found, a count that does not match), so that a script can tell it from "could
 * not ask" (2: the command line or configuration is wrong; 3: the database could not be reached).
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  unreachable: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODES_HELP = `
Exit codes:
  0  ok
  1  verification failed, not found, or a count that does not match the log
  2  usage or configuration error (bad arguments, missing DATABASE_URL, missing privilege, bad key)
  3  infrastructure unreachable (PostgreSQL refused, timed out or is shutting down)
  70 internal error (a bug: the message and stack go to stderr)`;

/** An expected way for a command to end, with the exit code and the one line that says why. */
export class CliError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string) => new CliError(ExitCode.usage, message);
export const notFound = (message: string) => new CliError(ExitCode.failed, message);
export const unreachable = (message: string) => new CliError(ExitCode.unreachable, message);
