import { Command, CommanderError } from 'commander';
import { checkpointCommand } from '../checkpoint/command';
import { exportCommand } from '../export/command';
import { forgetCommand } from '../forget/command';
import { incidentsCommand } from '../incidents/command';
import { projectionsCommand } from '../projections/command';
import { replayCommand } from '../replay/command';
import { timelineCommand } from '../timeline/command';
import { verifyCommand } from '../verify/command';
import { type CommandModule, createContext } from './context';
import { CliError, EXIT_CODES_HELP, ExitCode } from './exit-codes';
import type { Io } from './io';
import { INCIDENTCTL_VERSION } from './version';

/** The command tree. Each entry registers one command or group from its own folder. */
const COMMANDS: readonly CommandModule[] = [incidentsCommand, timelineCommand, verifyCommand, checkpointCommand, exportCommand, projectionsCommand, replayCommand, forgetCommand];

/** Exit 70 (EX_SOFTWARE): something no command expected, so not a verdict about the log. */
export const INTERNAL_ERROR = 70;

const ENVIRONMENT_HELP = `
Environment:
  DATABASE_URL                   postgres://user@host:port/database of the event log (required by every command
                                 that reads the log). incident_reader suffices for incidents, timeline, verify,
                                 checkpoint and export; projections rebuild needs incident_app or the owner.
  EVENT_LOG_SCHEMA               schema of the log (default event_log)
  REPLAY_DATABASE_URL            where replay creates its scratch schema (an admin that runs migrations;
                                 default DATABASE_URL). forget needs the owner (an admin in incident_owner).
  INCIDENT_CHECKPOINT_KEY_FILE   Ed25519 key (PEM) for checkpoint and verify --against, unless --key-file is given
${EXIT_CODES_HELP}`;

/** Parses `argv` (without node and the script), runs the command, and resolves to the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const ctx = createContext(io);
  let code: number = ExitCode.ok;
  const program = new Command('incidentctl')
    .description('Audit and operate the incident event log: state as of any moment, timelines, integrity proofs, evidence, read models.')
    .version(INCIDENTCTL_VERSION, '-V, --version', 'print the version')
    // Options belong to the command they follow: `incidents show ID --version 3` is the stream version, not ours.
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', ENVIRONMENT_HELP);
  for (const register of COMMANDS) register(program, ctx, (c) => (code = c));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    return failure(error, io);
  }
}

function failure(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // --help and --version end here too, with exit code 0; a group run without its subcommand prints its help.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
    if (error.code === 'commander.help' || error.code === 'commander.executeSubCommandAsync') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    return ExitCode.usage; // commander has already said what was wrong
  }
  if (error instanceof CliError) {
    io.stderr.write(`incidentctl: ${error.message}\n`);
    return error.exitCode;
  }
  io.stderr.write(`incidentctl: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return INTERNAL_ERROR;
}
