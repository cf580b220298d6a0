import { Controller, Get, HttpCode, Inject, NotFoundException, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@incident/event-store';
import type { AuthenticatedRequest } from '@incident/service-runtime';
import type { Request, Response } from 'express';
import { incidentNotFound } from '../http/not-found';
import { IncidentIdSchema } from '../http/params';
import { ValidBody, ValidParam } from '../http/validated';
import { ApiErrors, ErrorBodySchema, Scoped } from '../openapi/api-docs';
import { type PostmortemView, readPostmortem, readStatusUpdate } from './read-postmortem';
import { CommandRefusedFilter } from '../responder-commands/command-errors';
import { issuedBy } from '../responder-commands/issued';
import { type FinalizeOutcome, finalizePostmortem } from './finalize-postmortem';
import { FinalizeOutcomeSchema, FinalizePostmortemBodySchema, PostmortemViewSchema } from './responses';

const MARKDOWN = 'text/markdown; charset=utf-8';

@ApiTags('incidents')
@Controller('v1/incidents')
export class PostmortemController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Get(':id/postmortem')
  @Scoped('incidents:read')
  @ApiOperation({
    summary: 'An incident\'s postmortem',
    description:
      'The latest draft the postmortem service made from the incident\'s history, in the playbook\'s template: markdown by default, ' +
      'the structured draft (with its revision, due time, overdue flag and blame warnings) with `Accept: application/json`. ' +
      '404 until the incident is resolved and drafted; the message says which.',
  })
  @ApiProduces('text/markdown', 'application/json')
  @ApiOkResponse({ description: 'markdown (text/markdown), or with Accept: application/json this object', standardSchema: PostmortemViewSchema })
  @ApiErrors(400, 404)
  async postmortem(@ValidParam('id', IncidentIdSchema) id: string, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<string | PostmortemView> {
    const answer = await readPostmortem(this.store, id, new Date());
    if (answer.kind === 'no-incident') throw incidentNotFound(id);
    if (answer.kind === 'not-drafted') throw new NotFoundException({ error: 'postmortem_not_drafted', message: answer.message });
    // Markdown unless JSON is asked for (and preferred): the template is what people read.
    if (req.accepts(['text/markdown', 'application/json']) === 'application/json') return answer.view;
    res.type(MARKDOWN);
    return answer.markdown;
  }

  @Post(':id/postmortem/finalize')
  @HttpCode(200)
  @Scoped('incidents:write')
  @UseFilters(CommandRefusedFilter)
  @ApiOperation({
    summary: 'Declare the postmortem final',
    description:
      'The current revision becomes the published postmortem: it is no longer re-drafted from later incident events and never flagged ' +
      'overdue. `expectedRevision` (the `revision` you read) guards against finalizing a text you did not read. 404 before a draft ' +
      'exists; 409 ALREADY_FINAL, or STALE_REVISION when the postmortem was re-drafted meanwhile.',
  })
  @ApiOkResponse({ description: 'recorded', standardSchema: FinalizeOutcomeSchema })
  @ApiErrors(400)
  @ApiResponse({ status: 404, description: 'no drafted postmortem (yet) for this incident; `error` is NOT_FOUND', standardSchema: ErrorBodySchema })
  @ApiResponse({ status: 409, description: '`error` ALREADY_FINAL, or STALE_REVISION when the postmortem is at another revision', standardSchema: ErrorBodySchema })
  finalize(
    @ValidParam('id', IncidentIdSchema) id: string,
    @ValidBody(FinalizePostmortemBodySchema) body: { expectedRevision?: number },
    @Req() req: AuthenticatedRequest,
  ): Promise<FinalizeOutcome> {
    const { actor, at, metadata } = issuedBy(req);
    return finalizePostmortem(this.store, id, { at, actor, ...(body.expectedRevision !== undefined ? { expectedRevision: body.expectedRevision } : {}) }, metadata);
  }

  @Get(':id/status-update')
  @Scoped('incidents:read')
  @ApiOperation({
    summary: 'A status update for an incident',
    description:
      'The playbook\'s communication template (title, severity, status, start, affected users, current impact, actions taken ' +
      'with their times, next update) filled in from the incident\'s history at the time of the request. Markdown.',
  })
  @ApiProduces('text/markdown')
  @ApiOkResponse({ description: 'the filled-in template (markdown)', schema: { type: 'string' } })
  @ApiErrors(400, 404)
  async statusUpdate(@ValidParam('id', IncidentIdSchema) id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const markdown = await readStatusUpdate(this.store, id, new Date());
    if (markdown === undefined) throw incidentNotFound(id);
    res.type(MARKDOWN);
    return markdown;
  }
}
