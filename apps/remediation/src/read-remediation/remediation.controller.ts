import { Controller, Get, Inject, NotFoundException } from '@nestjs/common';
import { Streams } from '@incident/contracts';
import { nextAction } from '@incident/remediation-domain';
import { RequireScope } from '@incident/service-runtime';
import { REMEDIATION_DEPS } from '../app/remediation-core.module';
import { IncidentIdSchema, ValidParam } from '../http/validated';
import type { RemediationDeps } from '../log/remediation-deps';

/**
 * GET /v1/incidents/{id}/remediation (incidents:read): the incident's latest run (runbook, steps,
 * approvals, what happens next) and the remediation stream's events, as recorded.
 */
@Controller('v1/incidents')
export class RemediationController {
  constructor(@Inject(REMEDIATION_DEPS) private readonly deps: RemediationDeps) {}

  @Get(':id/remediation')
  @RequireScope('incidents:read')
  async remediation(@ValidParam('id', IncidentIdSchema) incidentId: string) {
    // The folded state first, then exactly the events it was folded from: read the other way
    // round, an append in between would answer a state newer than the events it shows.
    const { state, version } = await this.deps.streams.remediation(incidentId);
    if (version === 0) throw new NotFoundException({ error: 'not_found', message: `no remediation was proposed for incident ${incidentId}` });
    const events = await this.deps.store.readStream(Streams.remediation(incidentId), { toVersion: version });
    const next = nextAction(state);
    return {
      incidentId,
      version,
      runs: state.runs,
      run: state.run ?? null,
      next: next.kind === 'idle' ? { kind: 'idle' } : { kind: next.kind, stepId: next.step.id, ...(next.kind === 'execute' ? { attempt: next.attempt, dueAt: next.dueAt } : {}) },
      events: events.map((e) => ({ version: e.streamVersion, type: e.type, at: e.occurredAt.toISOString(), recordedAt: e.recordedAt.toISOString(), payload: e.payload, actor: e.metadata.actor ?? null })),
    };
  }
}
