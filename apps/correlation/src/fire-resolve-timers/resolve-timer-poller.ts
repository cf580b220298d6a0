import type { DataSource } from 'typeorm';
import type { CorrelationDeps } from '../log/record-decision';
import { fireResolveTimer } from './fire-resolve-timer';

export interface PollerOptions {
  intervalMs: number;
  /** Most timers fired per tick, so one tick cannot run unbounded. */
  batch: number;
  /** The wall clock; only this edge reads it. */
  clock?: () => Date;
  logger?: { warn(message: string, context?: Record<string, unknown>): void };
}

/**
 * Every `intervalMs`, fires the resolve timers that are due, one transaction per timer. Any
 * number of replicas may run one: the row claim (FOR UPDATE SKIP LOCKED) keeps them off each
 * other's timers, and off an incident a consumer is writing.
 */
export class ResolveTimerPoller {
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deps: CorrelationDeps,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Lets the timer in hand finish, then returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  /** Fires what is due now; returns the incidents whose timer fired. */
  async tick(): Promise<string[]> {
    const now = (this.options.clock ?? (() => new Date()))();
    const fired: string[] = [];
    const failed: string[] = [];
    while (fired.length + failed.length < this.options.batch && !this.stopping) {
      let claimed: string | undefined;
      try {
        await this.dataSource.transaction(async (tx) => {
          claimed = await this.deps.readModel.claimDue(tx, now, failed);
          if (claimed) await fireResolveTimer(tx, this.deps, claimed, now);
        });
        if (!claimed) break;
        fired.push(claimed);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.options.logger?.warn('a resolve timer could not fire; it is retried on the next tick', { incidentId: claimed, error: reason });
        // Passed over for the rest of this tick, so one bad incident does not hold up the others.
        if (!claimed) break;
        failed.push(claimed);
      }
    }
    return fired;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      await this.tick();
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.intervalMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}
