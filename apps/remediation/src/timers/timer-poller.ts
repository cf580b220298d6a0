import { DuePoller, type DuePollerOptions } from '@incident/service-runtime';
import type { DataSource, EntityManager } from 'typeorm';
import type { RemediationTimers, TimerKind, TimerRow } from '../log/remediation-timers';

export interface PollerOptions extends DuePollerOptions {
  kind: TimerKind;
  /** Fires one claimed timer, in the transaction that holds its row. */
  fire(tx: EntityManager, row: TimerRow, now: Date): Promise<void>;
}

/** Fires the remediation timers of one kind (deadlines, steps, escalation deliveries) that fell due. */
export class TimerPoller extends DuePoller<TimerRow> {
  constructor(dataSource: DataSource, timers: RemediationTimers, { kind, fire, ...options }: PollerOptions) {
    super(
      dataSource,
      {
        what: `${kind} timer`,
        claim: (tx, now, skip) => timers.claimDue(tx, kind, now, skip),
        fire,
        key: (row) => row.key,
      },
      options,
    );
  }
}
