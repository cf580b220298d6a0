import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiErrors, ErrorBodySchema, uuidString } from '../openapi/api-docs';
import type { CommandOutcome } from './handle-responder-command';

export const CommandOutcomeSchema = z
  .object({
    incidentId: uuidString(),
    version: z.int().describe('the incident version after the command: send it as `expectedVersion` next time'),
    events: z.array(z.string()).describe('the types of the events recorded'),
  })
  .meta({ id: 'CommandOutcome' });

export const NoteAddedSchema = CommandOutcomeSchema.extend({ noteId: uuidString() }).meta({ id: 'NoteAddedOutcome' });
export const ActionItemAddedSchema = CommandOutcomeSchema.extend({ itemId: uuidString().describe('complete it with POST .../action-items/{itemId}/complete') }).meta({
  id: 'ActionItemAddedOutcome',
});

export const StaleVersionSchema = z
  .object({
    error: z.literal('stale_version'),
    message: z.string(),
    expectedVersion: z.int().describe('the version the command was sent for'),
    actualVersion: z.int().describe('the incident\'s version now: read it again, decide again'),
  })
  .meta({ id: 'StaleVersion' });

/** The refusals every responder command can answer, besides the guard's 401/403. */
export function CommandErrors() {
  return applyDecorators(
    ApiErrors(400),
    ApiResponse({ status: 404, description: 'no such incident (or action item); `error` is NOT_FOUND', standardSchema: ErrorBodySchema }),
    ApiResponse({
      status: 409,
      description: 'the incident\'s state does not allow the command (`error` names the rule, e.g. ALREADY_ACKNOWLEDGED, INCIDENT_RESOLVED), or `expectedVersion` is stale (`stale_version`)',
      standardSchema: z.union([ErrorBodySchema, StaleVersionSchema]),
    }),
    ApiResponse({ status: 422, description: 'the command breaks a rule about its own input; `error` names it', standardSchema: ErrorBodySchema }),
  );
}

const _outcomeMatchesSchema = (outcome: CommandOutcome): z.input<typeof CommandOutcomeSchema> => outcome;
