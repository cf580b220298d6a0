import type { DataSource } from 'typeorm';
import type { PostmortemDeps } from '../log/postmortem-log';
import { flagOverdue } from './flag-overdue';

export interface PollerOptions {
  intervalMs: number;
  /** Most drafts flagged per tick, so one tick cannot run unbounded. */
  batch: number;
  /** The wall clock; only this edge reads it. */
  clock?: () => Date;
  logger?: { warn(message: string, context?: Record<string, unknown>): void };
}

/**
 * Every `intervalMs`, flags the drafts that fell due, one transaction per draft. Any number of
 * replicas may run one: the row claim (FOR UPDATE SKIP LOCKED) keeps them off each other's rows.
 */
export class OverduePoller {
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deps: PostmortemDeps,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop();
  }

  /** Lets the draft in hand finish, then returns. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = undefined;
  }

  /** Flags what is due now; returns the incidents whose postmortem was looked at. */
  async tick(): Promise<string[]> {
    const now = (this.options.clock ?? (() => new Date()))();
    const done: string[] = [];
    const failed: string[] = [];
    while (done.length + failed.length < this.options.batch && !this.stopping) {
      let claimed: string | undefined;
      try {
        await this.dataSource.transaction(async (tx) => {
          claimed = await this.deps.due.claimDue(tx, now, [...done, ...failed]);
          if (claimed) await flagOverdue(tx, this.deps, claimed, now);
        });
        if (!claimed) break;
        done.push(claimed);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.options.logger?.warn('an overdue postmortem could not be flagged; it is retried on the next tick', { incidentId: claimed, error: reason });
        // Passed over for the rest of this tick, so one bad draft does not hold up the others.
        if (!claimed) break;
        failed.push(claimed);
      }
    }
    return done;
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
