import { Scoped } from '@incident/incident-api';
import type { AuthenticatedRequest } from '@incident/service-runtime';
import { activeTraceContext } from '@incident/telemetry';
import { Controller, Get, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import type { RemediationUpstream } from '../app/ingest-config';
import {
  APPROVE_BODY,
  RemediationOperation,
  RESET_BODY,
} from './remediation-api-docs';
import { type Forwarded, forwardToRemediation } from './forward';

export const REMEDIATION_UPSTREAM = Symbol('REMEDIATION_UPSTREAM');

type WithRequestId = AuthenticatedRequest & { requestId?: string };

/**
 * The remediation API at the front door's base URL (DESIGN.md: one base URL for users). Ingest
 * checks the key's scope itself, so a caller without it never reaches remediation, and passes the
 * caller's Authorization on: remediation checks it again and records the key's name as the actor.
 * Validation of ids and bodies is remediation's, answered as it answers them.
 */
@Controller('v1')
export class RemediationApiController {
  constructor(
    @Inject(REMEDIATION_UPSTREAM)
    private readonly upstream: RemediationUpstream,
  ) {}

  @Get('incidents/:id/remediation')
  @Scoped('incidents:read')
  @RemediationOperation({
    summary:
      "An incident's remediation: runbook, steps, approvals, what happens next, events",
  })
  remediation(
    @Param('id') id: string,
    @Req() req: WithRequestId,
    @Res() res: Response,
  ) {
    return this.forward(
      req,
      res,
      'GET',
      `/v1/incidents/${seg(id)}/remediation`,
    );
  }

  @Post('incidents/:id/remediation/steps/:stepId/approve')
  @Scoped('incidents:write')
  @RemediationOperation({
    summary: 'Approve a production step of the going run',
    body: APPROVE_BODY,
    conflict:
      'already approved, approval not required, run over, or a stale `expectedVersion`',
  })
  approve(
    @Param('id') id: string,
    @Param('stepId') stepId: string,
    @Req() req: WithRequestId,
    @Res() res: Response,
  ) {
    const path = `/v1/incidents/${seg(id)}/remediation/steps/${seg(stepId)}/approve`;
    return this.forward(req, res, 'POST', path);
  }

  @Get('circuit-breakers/:dependency')
  @Scoped('incidents:read')
  @RemediationOperation({
    summary: "A dependency's circuit breaker (404 if it never opened)",
  })
  breaker(
    @Param('dependency') dependency: string,
    @Req() req: WithRequestId,
    @Res() res: Response,
  ) {
    return this.forward(
      req,
      res,
      'GET',
      `/v1/circuit-breakers/${seg(dependency)}`,
    );
  }

  @Post('circuit-breakers/:dependency/reset')
  @Scoped('incidents:write')
  @RemediationOperation({
    summary:
      'Close an open circuit breaker by hand, once the dependency is fixed',
    body: RESET_BODY,
    conflict: 'the breaker is already closed',
  })
  reset(
    @Param('dependency') dependency: string,
    @Req() req: WithRequestId,
    @Res() res: Response,
  ) {
    const path = `/v1/circuit-breakers/${seg(dependency)}/reset`;
    return this.forward(req, res, 'POST', path);
  }

  private async forward(
    req: WithRequestId,
    res: Response,
    method: Forwarded['method'],
    path: string,
  ): Promise<void> {
    // With tracing on, this request's server span continues the trace; else the caller's context.
    const trace = activeTraceContext().traceparent
      ? activeTraceContext()
      : {
          traceparent: header(req, 'traceparent'),
          tracestate: header(req, 'tracestate'),
        };
    const answer = await forwardToRemediation(this.upstream, {
      method,
      path,
      authorization: header(req, 'authorization'),
      // Parsed by the front door's JSON body parser, so its size limit and 400 on bad JSON hold.
      json: method === 'POST' ? (req.body ?? {}) : undefined,
      requestId: req.requestId,
      traceparent: trace.traceparent,
      tracestate: trace.tracestate,
    });
    res.status(answer.status).type(answer.contentType).send(answer.body);
  }
}

/** A path segment as the caller meant it: `../` or `?` in an id stays inside its segment. */
function seg(value: string): string {
  return encodeURIComponent(value);
}

function header(req: WithRequestId, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
