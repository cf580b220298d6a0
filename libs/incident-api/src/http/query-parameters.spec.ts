import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';
import { HistoryQuerySchema } from '../incident-history/history-query';
import { StateQuerySchema } from '../incident-state/state-query';
import { encodeCursor } from '../list-incidents/cursor';
import { ListQuerySchema } from '../list-incidents/list-query';
import { IncidentIdSchema } from './params';
import { type ParameterProblem, SchemaPipe } from './validated';

describe('query parameters of the incident API', () => {
  it('lists 50 incidents by default, and takes comma-separated filters', () => {
    expect(query(ListQuerySchema, { severity: 'SEV-1,SEV-2', service: 'api' })).toEqual({ severity: ['SEV-1', 'SEV-2'], service: ['api'], limit: 50 });
  });

  it.each([
    [{ limit: '201' }, 'limit', /at most 200/],
    [{ limit: '0' }, 'limit', /at least 1/],
    [{ limit: 'ten' }, 'limit', /number/],
    [{ severity: 'SEV-1,SEV-9' }, 'severity', /SEV-1, SEV-2, SEV-3, SEV-4/],
    [{ status: 'closed' }, 'status', /open, resolved/],
    [{ type: 'earthquake' }, 'type', /rate_limit/],
    [{ cursor: 'garbage!' }, 'cursor', /not a cursor/],
    [{ sevrity: 'SEV-1' }, 'sevrity', /not a known parameter/],
  ])('rejects %j naming the parameter %s', (input, parameter, message) => {
    expect(problems(ListQuerySchema, input)).toEqual([{ parameter, message: expect.stringMatching(message) }]);
  });

  it('decodes a cursor it handed out', () => {
    const cursor = { openedAt: '2025-03-01T10:00:00.000Z', id: '3f1c1a52-5d8e-4b0e-9a51-0f1f7a9e2c11' };
    expect(query(ListQuerySchema, { cursor: encodeCursor(cursor) })).toMatchObject({ cursor });
  });

  it('reads `at` as an instant and `version` as a whole stream version', () => {
    expect(query(StateQuerySchema, { at: '2025-03-01T12:30:00+02:00', version: '7' })).toEqual({ at: new Date('2025-03-01T10:30:00Z'), version: 7 });
  });

  it.each([
    [{ at: 'yesterday' }, 'at', /ISO-8601 date-time with a time zone/],
    [{ at: '2025-03-01T10:00:00' }, 'at', /time zone/],
    [{ version: '0' }, 'version', /at least 1/],
    [{ version: '1.5' }, 'version', /whole number/],
    [{ version: 'latest' }, 'version', /number/],
    [{ asOf: '2025-03-01T10:00:00Z' }, 'asOf', /not a known parameter/],
  ])('rejects the state query %j naming %s', (input, parameter, message) => {
    expect(problems(StateQuerySchema, input)).toEqual([{ parameter, message: expect.stringMatching(message) }]);
  });

  it('pages the raw history from version 1, 1000 events at a time, unless asked otherwise', () => {
    expect(query(HistoryQuerySchema, {})).toEqual({ fromVersion: 1, limit: 1000 });
    expect(problems(HistoryQuerySchema, { limit: '5001' })).toEqual([{ parameter: 'limit', message: expect.stringMatching(/at most 5000/) }]);
  });

  it('takes an incident id in any case and reads it in lower case, and names `id` when it is not one', () => {
    const pipe = new SchemaPipe();
    expect(pipe.transform('3F1C1A52-5D8E-4B0E-9A51-0F1F7A9E2C11', { type: 'param', data: 'id', schema: IncidentIdSchema })).toBe('3f1c1a52-5d8e-4b0e-9a51-0f1f7a9e2c11');
    expect(problemsOf(() => pipe.transform('42', { type: 'param', data: 'id', schema: IncidentIdSchema }))).toEqual([
      { parameter: 'id', message: 'must be an incident id (a UUID)' },
    ]);
  });
});

function query(schema: z.ZodType, input: Record<string, string>): unknown {
  return new SchemaPipe().transform(input, { type: 'query', schema });
}

function problems(schema: z.ZodType, input: Record<string, string>): ParameterProblem[] {
  return problemsOf(() => query(schema, input));
}

function problemsOf(fn: () => unknown): ParameterProblem[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof BadRequestException) return (error.getResponse() as { problems: ParameterProblem[] }).problems;
    throw error;
  }
  throw new Error('expected a 400');
}
