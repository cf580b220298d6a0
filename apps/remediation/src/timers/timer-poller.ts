import type { DataSource, EntityManager } from 'typeorm';
import type { RemediationTimers, TimerKind, TimerRow } from '../log/remediation-timers';

export interface PollerOptions {
  kind: TimerKind;
  intervalMs: number;
  /** Most timers fired per tick, so one tick cannot run unbounded. */
  batch: number;
  /** Fires one claimed timer, in the transaction that holds its row. */
  fire(tx: EntityManager, row: TimerRow, now: Date): Promise<void>;
  /** The wall clock; only this edge reads it. */
  clock?: () => Date;
  logger?: { warn(message: string, context?: Record<string, unknown>): void };
}

/**
 * Every `intervalMs`, fires the timers of one kind that are due, one transaction per timer. Any
 * number of replicas may run one: the row claim (FOR UPDATE SKIP LOCKED) keeps them off each
 * other's timers, and off an incident a consumer or an approval is writing.
 */
export class TimerPoller {
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly timers: RemediationTimers,
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

  /** Fires what is due now; returns the keys of the timers fired. */
  async tick(): Promise<string[]> {
    const now = this.now();
    const fired: string[] = [];
    const failed: string[] = [];
    while (fired.length + failed.length < this.options.batch && !this.stopping) {
      let claimed: TimerRow | undefined;
      try {
        await this.dataSource.transaction(async (tx) => {
          claimed = await this.timers.claimDue(tx, this.options.kind, now, failed);
          if (claimed) await this.options.fire(tx, claimed, now);
        });
        if (!claimed) break;
        fired.push(claimed.key);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.options.logger?.warn(`a ${this.options.kind} timer could not fire; it is retried on the next tick`, { key: claimed?.key, error: reason });
        // Passed over for the rest of this tick, so one bad timer does not hold up the others.
        if (!claimed) break;
        failed.push(claimed.key);
      }
    }
    return fired;
  }

  private now(): Date {
    return (this.options.clock ?? (() => new Date()))();
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
