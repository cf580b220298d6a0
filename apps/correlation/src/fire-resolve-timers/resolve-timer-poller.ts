import { DuePoller, type DuePollerOptions } from '@incident/service-runtime';
import type { DataSource } from 'typeorm';
import type { CorrelationDeps } from '../log/record-decision';
import { fireResolveTimer } from './fire-resolve-timer';

/** Fires the quiet-period timers that fell due: each resolves its incident (recorded, in event time). */
export class ResolveTimerPoller extends DuePoller<string> {
  constructor(dataSource: DataSource, deps: CorrelationDeps, options: DuePollerOptions) {
    super(
      dataSource,
      {
        what: 'resolve timer',
        claim: (tx, now, skip) => deps.readModel.claimDue(tx, now, skip),
        fire: (tx, incidentId, now) => fireResolveTimer(tx, deps, incidentId, now),
        key: (incidentId) => incidentId,
      },
      options,
    );
  }
}
