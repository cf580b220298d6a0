import type { Logger } from 'pino';

export interface StopOptions {
  logger: Logger;
  /** SHUTDOWN_TIMEOUT_MS: after it the process exits 1, whatever is still running. */
  timeoutMs: number;
  /** Turns /readyz false: the first thing a stop does. */
  drain: () => void;
  /** Stops taking work, finishes or hands back what is in flight, closes connections (Nest's app.close()). */
  close: () => Promise<void>;
  /** Last: flush what telemetry buffered. */
  flush?: () => Promise<void>;
  exit?: (code: number) => void;
  signals?: readonly NodeJS.Signals[];
  /** Where the signals arrive: the process; a test passes an emitter of its own. */
  source?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

/**
 * The service's stop on SIGTERM (Kubernetes) or SIGINT (a terminal), in order: readiness fails at
 * once; then Nest's close: timer pollers stop (beforeApplicationShutdown), the HTTP server stops
 * accepting and lets in-flight requests finish, consumers finish the slice in hand, commit its
 * offsets and leave their group (what they fetched and did not take is redelivered to the
 * group), the relay finishes its batch and checkpoint, the pool closes. Exit 0 once done, 1 if it
 * failed or took longer than the timeout.
 *
 * Instead of Nest's enableShutdownHooks, which re-raises the signal after closing (the process
 * then ends "killed by SIGTERM", not with 0) and has no time bound. A repeated signal is only
 * logged: `npm start` forwards Ctrl-C to services that got it from the terminal as well.
 */
export function stopOnSignals(options: StopOptions): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      options.logger.warn({ signal }, `${signal} again: still stopping (at most ${options.timeoutMs} ms in all)`);
      return;
    }
    stopping = true;
    const started = Date.now();
    options.drain();
    options.logger.info({ signal, timeout_ms: options.timeoutMs }, `${signal}: stopping; /readyz now fails, in-flight work finishes`);
    const force = setTimeout(() => {
      options.logger.error({ timeout_ms: options.timeoutMs }, 'did not stop within SHUTDOWN_TIMEOUT_MS: exiting with work unfinished');
      exit(1);
    }, options.timeoutMs);
    force.unref();
    void (async () => {
      try {
        await options.close();
        await options.flush?.().catch(() => undefined);
        clearTimeout(force);
        options.logger.info({ duration_ms: Date.now() - started }, 'stopped');
        exit(0);
      } catch (error) {
        clearTimeout(force);
        options.logger.error({ err: error }, 'stopping failed');
        exit(1);
      }
    })();
  };
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  const source = options.source ?? process;
  for (const s of signals) source.on(s, stop);
  return () => {
    for (const s of signals) source.off(s, stop);
  };
}
