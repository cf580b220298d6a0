import type { IncidentType } from '@incident/contracts';
import type { Runbook, RunbookSet } from './runbook';
import { RUNBOOKS_V1 } from './runbooks.v1';

/** Every runbook set ever released, by version. */
export const RUNBOOK_SETS: Readonly<Record<string, RunbookSet>> = { [RUNBOOKS_V1.version]: RUNBOOKS_V1 };

export const CURRENT_RUNBOOKS = RUNBOOKS_V1;

/** The runbook for an incident type: every type has one (unclassified gets triage), none is skipped. */
export function runbookFor(type: IncidentType, set: RunbookSet = CURRENT_RUNBOOKS): Runbook {
  return set.runbooks[type];
}
