import { SignalSchema, TrafficSampleSchema } from '@incident/contracts';
import { MAX_BATCH } from '@incident/signal-intake';
import { applyDecorators } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtension,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { z } from 'zod';

// What the front door's OpenAPI document (/openapi.json, generated from the controllers) says about
// the intake endpoints. Request schemas come from the contracts' zod schemas, so they cannot drift.

type Schema = Record<string, unknown>;

/** JSON Schema of a zod schema, as OpenAPI wants it: no $schema, formats rather than zod's long patterns. */
function openApi(schema: z.ZodType): Schema {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Schema;
  return withoutFormatPatterns(json) as Schema;
}

function withoutFormatPatterns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutFormatPatterns);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).filter(
    ([key]) => !(key === 'pattern' && 'format' in value),
  );
  return Object.fromEntries(
    entries.map(([key, v]) => [key, withoutFormatPatterns(v)]),
  );
}

const oneOrBatch = (item: Schema): Schema => ({
  oneOf: [
    item,
    { type: 'array', items: item, minItems: 1, maxItems: MAX_BATCH },
  ],
});

export const SIGNALS_BODY = oneOrBatch(openApi(SignalSchema));
export const TRAFFIC_BODY = oneOrBatch(openApi(TrafficSampleSchema));
export const LOG_BODY: Schema = {
  type: 'string',
  example:
    '[2025-12-24T14:35:22.123Z] [ERROR] [agent:code-review] Rate limit exceeded\n  userId: user-456\n  source: review-bot\n',
};
export const ALERTMANAGER_BODY: Schema = {
  type: 'object',
  description: 'Alertmanager webhook payload, version 4',
  required: ['version', 'status', 'alerts'],
};

const accepted = (
  itemsKey: 'signals' | 'samples',
  idKey: 'signalId' | 'sampleId',
): Schema => ({
  type: 'object',
  required: ['accepted', 'duplicates', itemsKey],
  properties: {
    accepted: { type: 'integer', description: 'items this request stored' },
    duplicates: {
      type: 'integer',
      description:
        'items the log already held (a resend): stored once, not again',
    },
    [itemsKey]: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          [idKey]: { type: 'string' },
          duplicate: { type: 'boolean' },
        },
      },
    },
  },
});

const retryAfter = {
  'Retry-After': {
    description: 'seconds to wait before retrying',
    schema: { type: 'integer' },
  },
};

/** One intake operation, documented: body, scope, and every answer it can give. */
export function IntakeOperation(o: {
  summary: string;
  consumes: 'application/json' | 'text/plain';
  body: Schema;
  answers: 'signals' | 'samples';
}) {
  return applyDecorators(
    ApiTags('signals'),
    ApiOperation({ summary: o.summary }),
    ApiConsumes(o.consumes),
    ApiBody({ schema: o.body }),
    ApiExtension('x-required-scope', 'signals:write'),
    ApiResponse({
      status: 202,
      description: 'committed to the event log (durable)',
      schema: accepted(
        o.answers,
        o.answers === 'signals' ? 'signalId' : 'sampleId',
      ),
    }),
    ApiResponse({
      status: 400,
      description:
        'invalid input: `issues` names each bad item (`at`) and what is wrong; nothing stored',
    }),
    ApiResponse({ status: 401, description: 'no API key, or an unknown one' }),
    ApiResponse({
      status: 403,
      description: 'the API key lacks signals:write',
    }),
    ApiResponse({ status: 413, description: 'body over 1 MiB' }),
    ApiResponse({
      status: 415,
      description: `Content-Type is not ${o.consumes}`,
    }),
    ApiResponse({
      status: 429,
      description:
        'a source of the request is over its rate limit; nothing stored',
      headers: retryAfter,
    }),
    ApiResponse({
      status: 503,
      description: 'the event log could not commit; nothing stored',
      headers: retryAfter,
    }),
  );
}
