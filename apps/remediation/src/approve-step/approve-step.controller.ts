import { Controller, HttpCode, Inject, Post, Req, UseFilters } from '@nestjs/common';
import { type AuthenticatedRequest, RequireScope } from '@incident/service-runtime';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { REMEDIATION_DEPS } from '../app/remediation-core.module';
import { CommandRefusedFilter } from '../http/command-errors';
import { issuedBy } from '../http/issued';
import { ExpectedVersionSchema, IncidentIdSchema, StepIdSchema, ValidBody, ValidParam } from '../http/validated';
import type { RemediationDeps } from '../log/remediation-deps';
import { approveStep, type ApprovalOutcome } from './approve-step';

const ApproveBodySchema = z.strictObject({ expectedVersion: ExpectedVersionSchema.optional() });

/**
 * POST /v1/incidents/{id}/remediation/steps/{stepId}/approve (incidents:write): a person lets a
 * production step of the going run proceed. 404 no remediation or no such step; 409 already
 * approved, approval not required, run over, or a stale `expectedVersion` (of the remediation stream).
 */
@Controller('v1/incidents')
@UseFilters(CommandRefusedFilter)
export class ApproveStepController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REMEDIATION_DEPS) private readonly deps: RemediationDeps,
  ) {}

  @Post(':id/remediation/steps/:stepId/approve')
  @HttpCode(200)
  @RequireScope('incidents:write')
  approve(
    @ValidParam('id', IncidentIdSchema) incidentId: string,
    @ValidParam('stepId', StepIdSchema) stepId: string,
    @ValidBody(ApproveBodySchema) body: z.infer<typeof ApproveBodySchema>,
    @Req() req: AuthenticatedRequest,
  ): Promise<ApprovalOutcome> {
    const { actor, at, metadata } = issuedBy(req);
    return approveStep(this.dataSource, this.deps, { incidentId, stepId, actor, at, expectedVersion: body.expectedVersion }, metadata);
  }
}
