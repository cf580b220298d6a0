import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@incident/event-store';
import { decideRemediation } from '@incident/remediation-domain';
import type { DataSource } from 'typeorm';
import { StaleVersion } from '../http/command-errors';
import { recordRemediation } from '../log/record-remediation';
import type { RemediationDeps } from '../log/remediation-deps';

export interface ApprovalOutcome {
  incidentId: string;
  runId: string;
  stepId: string;
  version: number;
  events: string[];
}

/**
 * ApproveStep under the run's row lock: the step runner cannot be halfway through the run
 * meanwhile, and the step's timer is due at once, so the poller runs it on its next tick.
 */
export async function approveStep(
  dataSource: DataSource,
  deps: RemediationDeps,
  command: { incidentId: string; stepId: string; actor: string; at: string; expectedVersion?: number },
  metadata: EventMetadata,
): Promise<ApprovalOutcome> {
  return dataSource.transaction(async (tx) => {
    await deps.timers.lock(tx, 'step', command.incidentId);
    const remediation = await deps.streams.remediation(command.incidentId);
    if (command.expectedVersion !== undefined && command.expectedVersion !== remediation.version) {
      throw new StaleVersion(command.expectedVersion, remediation.version);
    }
    const events = decideRemediation({ kind: 'ApproveStep', stepId: command.stepId, actor: command.actor, at: command.at }, remediation.state, deps.policy, deps.runbooks);
    const { version } = await recordRemediation(tx, deps, command.incidentId, remediation, events, { eventId: randomUUID(), metadata }, metadata);
    const runId = remediation.state.run?.runId ?? '';
    return { incidentId: command.incidentId, runId, stepId: command.stepId, version, events: events.map((e) => e.type) };
  });
}
