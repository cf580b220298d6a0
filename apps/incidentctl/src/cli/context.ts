import type { Command } from 'commander';
import { type Config, readConfig } from './config';
import { type Log, withLog } from './database';
import type { Io } from './io';

/** What every command gets: the process's edges, the configuration when it asks, the log when it opens it. */
export interface Context {
  io: Io;
  out(text: string): void;
  err(text: string): void;
  config(): Config;
  withLog<T>(work: (log: Log) => Promise<T>, opts?: { poolSize?: number }): Promise<T>;
}

export function createContext(io: Io): Context {
  return {
    io,
    out: (text) => io.stdout.write(text),
    err: (text) => io.stderr.write(text),
    // Read lazily: `--help` and `checkpoint keygen` work without a database configured.
    config: () => readConfig(io.env),
    withLog(work, opts) {
      return withLog(this.config(), work, opts);
    },
  };
}

/** A command's action resolves to its exit code: 0, or 1 for a definite "no". */
export type Action = (...args: never[]) => Promise<number>;

/** Registers one command (or group) on the program; replay and forget will be two more of these. */
export type CommandModule = (program: Command, ctx: Context, done: (code: number) => void) => void;
