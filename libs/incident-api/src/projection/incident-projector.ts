import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IncidentProjection } from './incident-projection';

export const PROJECTOR_OPTIONS = Symbol('PROJECTOR_OPTIONS');

export interface ProjectorOptions {
  /** Default true. Every replica may run it: they take turns on an advisory lock. */
  enabled?: boolean;
  /** Wait between polls once caught up with the log. */
  pollIntervalMs?: number;
  /** Longest wait between retries after a failure (the database being away, say). */
  maxBackoffMs?: number;
}

/**
 * Keeps the incidents read model following the log for the life of the application: started
 * once every module is up, stopped on shutdown after its current batch has committed (Nest calls
 * this before the global runtime module closes the database pool).
 */
@Injectable()
export class IncidentProjector implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IncidentProjector');
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    @Inject(IncidentProjection) readonly projection: IncidentProjection,
    @Inject(PROJECTOR_OPTIONS) private readonly options: ProjectorOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.enabled ?? true) this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.follow();
  }

  /** Resolves once the batch in flight (if any) has committed or rolled back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  /** Empties the read model and rewinds it; the running loop then rebuilds it from the log. */
  async rebuild(): Promise<void> {
    await this.projection.rebuild();
    this.wake?.();
  }

  private async follow(): Promise<void> {
    const poll = this.options.pollIntervalMs ?? 250;
    let failures = 0;
    while (!this.stopping) {
      let delay = poll;
      try {
        const outcome = await this.projection.runBatch();
        failures = 0;
        if (outcome !== 'busy' && outcome.read > 0) delay = 0; // behind: read on without waiting
      } catch (error) {
        // Never let the loop die: the next batch replays from the committed checkpoint.
        failures++;
        delay = Math.min(poll * 2 ** failures, this.options.maxBackoffMs ?? 30_000);
        this.logger.error(`incidents projection batch failed (retry in ${delay} ms): ${error instanceof Error ? error.message : String(error)}`);
      }
      if (delay > 0 && !this.stopping) await this.sleep(delay);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    }).finally(() => (this.wake = undefined));
  }
}
