import type { DataSource, EntityManager } from 'typeorm';

export interface DuePollerOptions {
  intervalMs: number;
  /** Most timers fired per tick, so one tick cannot run unbounded. */
  batch: number;
  /** The wall clock; only this edge reads it. */
  clock?: () => Date;
  logger?: { warn(message: string, context?: Record<string, unknown>): void };
}

/** One kind of recorded timer: how a due one is claimed and fired. */
export interface DueWork<C> {
  /** What a timer is called in logs ("resolve timer", "overdue postmortem", ...). */
  what: string;
  /** Claims one due row (FOR UPDATE SKIP LOCKED), passing over the keys in `skip`. */
  claim(tx: EntityManager, now: Date, skip: readonly string[]): Promise<C | undefined>;
  /** Fires the claimed timer in the transaction that holds its row. */
  fire(tx: EntityManager, claimed: C, now: Date): Promise<void>;
  key(claimed: C): string;
  /**
   * Whether a row fired in this tick is passed over for the rest of it: needed where firing leaves
   * the row due (an overdue draft stays overdue); where firing may set the next timer of the same
   * key already due (a remediation run's next step), it runs in the same tick.
   */
  passOverFired?: boolean;
}

/**
 * Every `intervalMs`, fires the timers that are due, one transaction per timer. Any number of
 * replicas may run one: the row claim keeps them off each other's timers, and off a stream a
 * consumer or a command is writing. A timer that fails is logged and retried on the next tick.
 */
export class DuePoller<C> {
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly work: DueWork<C>,
    private readonly options: DuePollerOptions,
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
    const now = (this.options.clock ?? (() => new Date()))();
    const fired: string[] = [];
    const failed: string[] = [];
    while (fired.length + failed.length < this.options.batch && !this.stopping) {
      let claimed: C | undefined;
      const skip = this.work.passOverFired ? [...fired, ...failed] : failed;
      try {
        await this.dataSource.transaction(async (tx) => {
          claimed = await this.work.claim(tx, now, skip);
          if (claimed !== undefined) await this.work.fire(tx, claimed, now);
        });
        if (claimed === undefined) break;
        fired.push(this.work.key(claimed));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        const key = claimed === undefined ? undefined : this.work.key(claimed);
        this.options.logger?.warn(`a ${this.work.what} could not fire; it is retried on the next tick`, { key, error: reason });
        // Passed over for the rest of this tick, so one bad timer does not hold up the others.
        if (key === undefined) break;
        failed.push(key);
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
