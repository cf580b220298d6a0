import { type ArgumentMetadata, BadRequestException, Injectable, Param, type PipeTransform, Query } from '@nestjs/common';
import type { z } from 'zod';

/** Where a request went wrong: the parameter by name, and what is wrong with it. */
export interface ParameterProblem {
  parameter: string;
  message: string;
}

export function badRequest(problems: ParameterProblem[]): BadRequestException {
  const message = problems.map((p) => `${p.parameter}: ${p.message}`).join('; ');
  return new BadRequestException({ error: 'bad_request', message, problems });
}

/**
 * Validates a route argument against the zod schema attached to its decorator (which is also
 * what @nestjs/swagger documents), answering 400 with each bad parameter named.
 */
@Injectable()
export class SchemaPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const schema = metadata.schema as z.ZodType | undefined;
    if (!schema) return value;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    throw badRequest(result.error.issues.flatMap((issue) => problemsOf(issue, metadata.data)));
  }
}

function problemsOf(issue: z.core.$ZodIssue, parameter: string | undefined): ParameterProblem[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ parameter: key, message: 'is not a known parameter' }));
  const name = parameter ?? String(issue.path[0] ?? 'query');
  return [{ parameter: name, message: issue.message }];
}

const pipe = new SchemaPipe();

/** The whole query string, validated by `schema` (a strict zod object: unknown parameters are a 400). */
export const ValidQuery = (schema: z.ZodType) => Query({ schema, pipes: [pipe] });

/** One path parameter, validated by `schema`. */
export const ValidParam = (name: string, schema: z.ZodType) => Param(name, { schema, pipes: [pipe] });
