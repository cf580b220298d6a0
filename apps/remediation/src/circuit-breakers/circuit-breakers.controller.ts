import { Controller, Get, HttpCode, Inject, NotFoundException, Post, Req, UseFilters } from '@nestjs/common';
import { type AuthenticatedRequest, RequireScope } from '@incident/service-runtime';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { REMEDIATION_DEPS } from '../app/remediation-core.module';
import { CommandRefusedFilter } from '../http/command-errors';
import { issuedBy } from '../http/issued';
import { DependencySchema, ValidBody, ValidParam } from '../http/validated';
import type { RemediationDeps } from '../log/remediation-deps';
import { resetCircuitBreaker } from './reset-circuit-breaker';

const ResetBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(2_000).default('reset by hand after the fix') });

/**
 * GET /v1/circuit-breakers/{dependency} (incidents:read): the breaker's state.
 * POST /v1/circuit-breakers/{dependency}/reset (incidents:write): close an open breaker. 404 for a
 * dependency whose breaker never opened, 409 for one already closed.
 */
@Controller('v1/circuit-breakers')
@UseFilters(CommandRefusedFilter)
export class CircuitBreakersController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REMEDIATION_DEPS) private readonly deps: RemediationDeps,
  ) {}

  @Get(':dependency')
  @RequireScope('incidents:read')
  async state(@ValidParam('dependency', DependencySchema) dependency: string) {
    const breaker = await this.deps.streams.circuitBreaker(dependency);
    if (breaker.state.status === 'unknown') throw new NotFoundException({ error: 'not_found', message: `no circuit breaker for ${dependency} has ever opened` });
    return { ...breaker.state, version: breaker.version };
  }

  @Post(':dependency/reset')
  @HttpCode(200)
  @RequireScope('incidents:write')
  reset(
    @ValidParam('dependency', DependencySchema) dependency: string,
    @ValidBody(ResetBodySchema) body: z.infer<typeof ResetBodySchema>,
    @Req() req: AuthenticatedRequest,
  ) {
    const { actor, at, metadata } = issuedBy(req);
    return resetCircuitBreaker(this.dataSource, this.deps, { dependency, actor, reason: body.reason, at }, metadata);
  }
}
