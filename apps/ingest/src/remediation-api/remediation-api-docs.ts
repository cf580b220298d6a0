import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiExtension,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';

// What the front door's OpenAPI document says about the remediation API it forwards. The bodies
// are remediation's (apps/remediation, approve-step and circuit-breakers controllers); the
// answers are remediation's too, except 502 and 504, which are the front door's own.

type Schema = Record<string, unknown>;

export const APPROVE_BODY: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    expectedVersion: {
      type: 'integer',
      minimum: 0,
      description:
        'the remediation stream version the approver saw; 409 if it moved on',
    },
  },
};

export const RESET_BODY: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 2_000,
      default: 'reset by hand after the fix',
    },
  },
};

const ERROR_BODY: Schema = {
  type: 'object',
  required: ['error', 'message'],
  properties: { error: { type: 'string' }, message: { type: 'string' } },
};

/** One forwarded operation, documented: its body if any, and every answer it can give. */
export function RemediationOperation(o: {
  summary: string;
  body?: Schema;
  conflict?: string;
}) {
  return applyDecorators(
    ApiTags('remediation'),
    ApiOperation({
      summary: o.summary,
      description:
        "Served by the remediation service; the front door forwards the request with the caller's Authorization.",
    }),
    ApiExtension('x-forwarded-to', 'remediation'),
    ...(o.body ? [ApiBody({ schema: o.body, required: false })] : []),
    ApiResponse({ status: 200, description: "remediation's answer" }),
    ApiResponse({
      status: 400,
      description: 'a bad id or body; `problems` names each one',
      schema: ERROR_BODY,
    }),
    ApiResponse({
      status: 404,
      description: 'no such remediation, step or breaker',
      schema: ERROR_BODY,
    }),
    ...(o.conflict
      ? [
          ApiResponse({
            status: 409,
            description: o.conflict,
            schema: ERROR_BODY,
          }),
        ]
      : []),
    ApiResponse({
      status: 502,
      description:
        'the remediation service could not be reached (`error: remediation_unavailable`)',
      schema: ERROR_BODY,
    }),
    ApiResponse({
      status: 504,
      description:
        'the remediation service did not answer in time (`error: remediation_timeout`)',
      schema: ERROR_BODY,
    }),
  );
}
