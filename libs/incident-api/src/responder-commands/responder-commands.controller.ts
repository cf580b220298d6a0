import { randomUUID } from 'node:crypto';
import { applyDecorators, Controller, HttpCode, Inject, Post, Req, UseFilters } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EventStore } from '@incident/event-store';
import type { AuthenticatedRequest } from '@incident/service-runtime';
import type { z } from 'zod';
import { IncidentIdSchema } from '../http/params';
import { ValidBody, ValidParam } from '../http/validated';
import { Scoped } from '../openapi/api-docs';
import * as B from './bodies';
import { CommandRefusedFilter } from './command-errors';
import { type CommandOutcome, handleResponderCommand } from './handle-responder-command';
import { issuedBy } from './issued';
import { ActionItemAddedSchema, CommandErrors, CommandOutcomeSchema, NoteAddedSchema } from './responses';

/** One responder command: documented, needing incidents:write, answering 200 (201 with the new id when it adds something). */
function Command(summary: string, description: string, created?: z.ZodType) {
  return applyDecorators(
    HttpCode(created ? 201 : 200),
    Scoped('incidents:write'),
    ApiOperation({ summary, description }),
    created
      ? ApiCreatedResponse({ description: 'recorded', standardSchema: created })
      : ApiOkResponse({ description: 'recorded', standardSchema: CommandOutcomeSchema }),
    CommandErrors(),
  );
}

/**
 * What responders do on an incident (issue 4). Each route validates its body, builds the command
 * with the caller's key name as the actor and this server's clock as `at`, and hands it to
 * handleResponderCommand; refusals are answered by CommandRefusedFilter.
 */
@ApiTags('incidents')
@Controller('v1/incidents')
@UseFilters(CommandRefusedFilter)
export class ResponderCommandsController {
  constructor(@Inject(EventStore) private readonly store: EventStore) {}

  @Post(':id/acknowledge')
  @Command('Acknowledge an incident', 'Once per incident, while it is open.')
  acknowledge(
    @ValidParam('id', IncidentIdSchema) id: string,
    @ValidBody(B.AcknowledgeBodySchema) body: B.AcknowledgeBody,
    @Req() req: AuthenticatedRequest,
  ): Promise<CommandOutcome> {
    const { actor, at, metadata } = issuedBy(req);
    return handleResponderCommand(this.store, id, { kind: 'AcknowledgeIncident', actor, at }, body.expectedVersion, metadata);
  }

  @Post(':id/notes')
  @Command('Add a note', 'Also after resolution, for the postmortem. Answers 201 with the note\'s id.', NoteAddedSchema)
  async addNote(
    @ValidParam('id', IncidentIdSchema) id: string,
    @ValidBody(B.AddNoteBodySchema) body: B.AddNoteBody,
    @Req() req: AuthenticatedRequest,
  ): Promise<CommandOutcome & { noteId: string }> {
    const { actor, at, metadata } = issuedBy(req);
    const noteId = randomUUID();
    const outcome = await handleResponderCommand(this.store, id, { kind: 'AddNote', noteId, text: body.text, actor, at }, body.expectedVersion, metadata);
    return { ...outcome, noteId };
  }

  @Post(':id/status')
  @Command('Set the response status', 'investigating, identified, monitoring; `resolved` resolves the incident (with `reason` as the resolution).')
  setStatus(
    @ValidParam('id', IncidentIdSchema) id: string,
    @ValidBody(B.SetStatusBodySchema) body: B.SetStatusBody,
    @Req() req: AuthenticatedRequest,
  ): Promise<CommandOutcome> {
    const { actor, at, metadata } = issuedBy(req);
    return handleResponderCommand(this.store, id, { kind: 'SetStatus', status: body.status, reason: body.reason, actor, at }, body.expectedVersion, metadata);
  }

  @Post(':id/severity')
  @Command('Change the severity', 'With a reason, recorded with the responder rule (raised or lowered) like any other severity decision.')
  changeSeverity(
    @ValidParam('id', IncidentIdSchema) id: string,
    @ValidBody(B.ChangeSeverityBodySchema) body: B.ChangeSeverityBody,
    @Req() req: AuthenticatedRequest,
  ): Promise<CommandOutcome> {
    const { actor, at, metadata } = issuedBy(req);
    return handleResponderCommand(this.store, id, { kind: 'ChangeSeverity', severity: body.severity, reason: body.reason, actor, at }, body.expectedVersion, metadata);
  }

  @Post(':id/root-cause')
  @Command('Record the root-cause analysis', 'The 5 Whys, the fishbone categories, the root cause and the fix; a later record replaces the earlier one in the state.')
  recordRootCause(
    @ValidParam('id', IncidentIdSchema) id: string,
    @ValidBody(B.RecordRootCauseBodySchema) body: B.RecordRootCauseBody,
    @Req() req: AuthenticatedRequest,
  ): Promise<CommandOutcome> {
    const { actor, at, metadata } = issuedBy(req);
    const { expectedVersion, ...analysis } = body;
    return handleResponderCommand(this.store, id, { kind: 'RecordRootCause', analysis, actor, at }, expectedVersion, metadata);
  }

  @Post(':id/action-items')
  @Command('Add an action item', 'P0/P1/P2, an owner and a due date. Answers 201 with the item\'s id.', ActionItemAddedSchema)
  async addActionItem(
    @ValidParam('id', IncidentIdSchema) id: string,
    @ValidBody(B.AddActionItemBodySchema) body: B.AddActionItemBody,
    @Req() req: AuthenticatedRequest,
  ): Promise<CommandOutcome & { itemId: string }> {
    const { actor, at, metadata } = issuedBy(req);
    const { expectedVersion, ...item } = body;
    const itemId = randomUUID();
    const outcome = await handleResponderCommand(this.store, id, { kind: 'AddActionItem', itemId, ...item, actor, at }, expectedVersion, metadata);
    return { ...outcome, itemId };
  }

  @Post(':id/action-items/:itemId/complete')
  @Command('Complete an action item', 'Once per item.')
  completeActionItem(
    @ValidParam('id', IncidentIdSchema) id: string,
    @ValidParam('itemId', B.ActionItemIdSchema) itemId: string,
    @ValidBody(B.CompleteActionItemBodySchema) body: B.CompleteActionItemBody,
    @Req() req: AuthenticatedRequest,
  ): Promise<CommandOutcome> {
    const { actor, at, metadata } = issuedBy(req);
    return handleResponderCommand(this.store, id, { kind: 'CompleteActionItem', itemId, actor, at }, body.expectedVersion, metadata);
  }

  @Post(':id/resolve')
  @Command('Resolve an incident', 'Once; notes, the root cause and action items can still be recorded afterwards.')
  resolve(
    @ValidParam('id', IncidentIdSchema) id: string,
    @ValidBody(B.ResolveBodySchema) body: B.ResolveBody,
    @Req() req: AuthenticatedRequest,
  ): Promise<CommandOutcome> {
    const { actor, at, metadata } = issuedBy(req);
    return handleResponderCommand(this.store, id, { kind: 'ResolveIncident', reason: body.reason, actor, at }, body.expectedVersion, metadata);
  }
}
