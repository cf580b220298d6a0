import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';
import { type ParameterProblem, SchemaPipe } from '../http/validated';
import {
  AcknowledgeBodySchema,
  ActionItemIdSchema,
  AddActionItemBodySchema,
  AddNoteBodySchema,
  ChangeSeverityBodySchema,
  RecordRootCauseBodySchema,
  ResolveBodySchema,
  SetStatusBodySchema,
} from './bodies';

describe('bodies of the responder commands', () => {
  it('needs the version the client saw on every command, as a whole stream version', () => {
    expect(problems(AcknowledgeBodySchema, {})).toEqual([{ parameter: 'expectedVersion', message: 'is required' }]);
    expect(problems(AcknowledgeBodySchema, { expectedVersion: '3' })).toEqual([{ parameter: 'expectedVersion', message: 'must be a whole number' }]);
    expect(problems(AcknowledgeBodySchema, { expectedVersion: 2.5 })).toEqual([{ parameter: 'expectedVersion', message: 'must be a whole number' }]);
    expect(problems(AcknowledgeBodySchema, { expectedVersion: 0 })).toEqual([{ parameter: 'expectedVersion', message: expect.stringMatching(/at least 1/) }]);
    expect(body(AcknowledgeBodySchema, { expectedVersion: 3 })).toEqual({ expectedVersion: 3 });
  });

  it('names every bad field at once, unknown ones included', () => {
    expect(problems(ChangeSeverityBodySchema, { severity: 'SEV-9', expectedVersion: 1, sevrity: 'SEV-1' })).toEqual([
      { parameter: 'severity', message: 'must be one of SEV-1, SEV-2, SEV-3, SEV-4' },
      { parameter: 'reason', message: 'is required' },
      { parameter: 'sevrity', message: 'is not a known field' },
    ]);
  });

  it('answers a body that is not an object as a problem with `body`', () => {
    expect(problems(AcknowledgeBodySchema, undefined)).toEqual([{ parameter: 'body', message: 'is required' }]);
    expect(problems(AcknowledgeBodySchema, [1])).toEqual([{ parameter: 'body', message: 'must be a JSON object' }]);
  });

  it('trims text, so a reason of blanks is an empty field, and bounds its length', () => {
    expect(problems(ResolveBodySchema, { reason: '   ', expectedVersion: 4 })).toEqual([{ parameter: 'reason', message: 'must not be empty' }]);
    expect(problems(AddNoteBodySchema, { text: 'x'.repeat(4001), expectedVersion: 4 })).toEqual([{ parameter: 'text', message: 'must be at most 4000 characters' }]);
    expect(body(ResolveBodySchema, { reason: ' deployed the limiter \n', expectedVersion: 4 })).toEqual({ reason: 'deployed the limiter', expectedVersion: 4 });
  });

  it('takes the three response statuses and `resolved`, with an optional reason', () => {
    expect(body(SetStatusBodySchema, { status: 'monitoring', expectedVersion: 2 })).toEqual({ status: 'monitoring', expectedVersion: 2 });
    expect(problems(SetStatusBodySchema, { status: 'closed', expectedVersion: 2 })).toEqual([
      { parameter: 'status', message: 'must be one of investigating, identified, monitoring, resolved' },
    ]);
  });

  it('takes the root-cause analysis with a bounded 5 Whys chain, naming a bad entry by its path', () => {
    const analysis = { fiveWhys: ['429s', 'no limiter'], fishbone: { technology: ['no token bucket'] }, rootCause: 'no limit', fix: 'token bucket', expectedVersion: 7 };
    expect(body(RecordRootCauseBodySchema, analysis)).toEqual({
      ...analysis,
      fishbone: { people: [], process: [], technology: ['no token bucket'], environment: [] },
      contributingFactors: [],
      wentWell: [],
      wentPoorly: [],
      lessonsLearned: [],
    });
    expect(problems(RecordRootCauseBodySchema, { ...analysis, fiveWhys: [] })).toEqual([{ parameter: 'fiveWhys', message: 'needs at least one why' }]);
    expect(problems(RecordRootCauseBodySchema, { ...analysis, fiveWhys: Array(11).fill('why') })).toEqual([{ parameter: 'fiveWhys', message: 'must have at most 10 entries' }]);
    expect(problems(RecordRootCauseBodySchema, { ...analysis, fishbone: { people: ['ok', ''], money: [] } })).toEqual([
      { parameter: 'fishbone.people.1', message: 'must not be empty' },
      { parameter: 'fishbone.money', message: 'is not a known field' },
    ]);
  });

  it('takes an action item with a priority, an owner and an ISO due date', () => {
    const item = { title: 'Add a token bucket', priority: 'P0', owner: 'platform-team', dueDate: '2026-12-01', expectedVersion: 9 };
    expect(body(AddActionItemBodySchema, item)).toEqual(item);
    expect(problems(AddActionItemBodySchema, { ...item, priority: 'P3', dueDate: 'next week' })).toEqual([
      { parameter: 'priority', message: 'must be one of P0, P1, P2' },
      { parameter: 'dueDate', message: 'must be an ISO date, e.g. 2026-12-01' },
    ]);
  });

  it('reads an action item id in lower case, and refuses one that is not a UUID', () => {
    const pipe = new SchemaPipe();
    expect(pipe.transform('3F1C1A52-5D8E-4B0E-9A51-0F1F7A9E2C11', { type: 'param', data: 'itemId', schema: ActionItemIdSchema })).toBe('3f1c1a52-5d8e-4b0e-9a51-0f1f7a9e2c11');
    expect(problemsOf(() => pipe.transform('a-1', { type: 'param', data: 'itemId', schema: ActionItemIdSchema }))).toEqual([
      { parameter: 'itemId', message: 'must be an action item id (a UUID)' },
    ]);
  });
});

function body(schema: z.ZodType, input: unknown): unknown {
  return new SchemaPipe().transform(input, { type: 'body', schema });
}

function problems(schema: z.ZodType, input: unknown): ParameterProblem[] {
  return problemsOf(() => body(schema, input));
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
