import { applyDecorators } from '@nestjs/common';
import { ApiExtension, ApiResponse } from '@nestjs/swagger';
import { RequireScope, type Scope } from '@incident/service-runtime';
import { z } from 'zod';

/** The body of every 4xx this API answers (the guard's 401/403 included). */
export const ErrorBodySchema = z
  .object({
    error: z.string().describe('stable code: bad_request, unauthorized, forbidden, not_found, ...'),
    message: z.string().describe('what is wrong, for a person'),
    problems: z
      .array(z.object({ parameter: z.string(), message: z.string() }))
      .optional()
      .describe('each bad parameter, by name (400 only)'),
  })
  .meta({ id: 'Error' });

const WHY: Record<number, string> = {
  400: 'a parameter is invalid; `problems` names each one',
  401: 'no API key, or an unknown one',
  403: 'the API key lacks the scope',
  404: 'no such incident (or stream)',
  409: 'the log is broken',
};

/** Documents the error answers an operation can give, all in the shape of ErrorBodySchema. */
export function ApiErrors(...statuses: number[]) {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: WHY[status] ?? 'error', standardSchema: ErrorBodySchema })));
}

/**
 * The scope a route needs, enforced (RequireScope) and documented in one place: the operation
 * gets `x-required-scope` and its 401/403 answers.
 */
export function Scoped(scope: Scope) {
  return applyDecorators(RequireScope(scope), ApiExtension('x-required-scope', scope), ApiErrors(401, 403));
}

// Response fields are documented, not validated: a format reads better than zod's long patterns.
export const isoTime = () => z.string().meta({ format: 'date-time' });
export const uuidString = () => z.string().meta({ format: 'uuid' });
