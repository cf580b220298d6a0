import { DuePoller, type DuePollerOptions } from '@incident/service-runtime';
import type { DataSource } from 'typeorm';
import type { PostmortemDeps } from '../log/postmortem-log';
import { flagOverdue } from './flag-overdue';

/** Flags the postmortem drafts still not final 24 hours after their incident resolved. */
export class OverduePoller extends DuePoller<string> {
  constructor(dataSource: DataSource, deps: PostmortemDeps, options: DuePollerOptions) {
    super(
      dataSource,
      {
        what: 'overdue postmortem',
        claim: (tx, now, skip) => deps.due.claimDue(tx, now, skip),
        fire: (tx, incidentId, now) => flagOverdue(tx, deps, incidentId, now),
        key: (incidentId) => incidentId,
        // A flagged draft stays overdue until it is final: once per tick is enough.
        passOverFired: true,
      },
      options,
    );
  }
}
