import { type ArgumentMetadata, BadRequestException, Body, Injectable, Param, type PipeTransform, Query } from '@nestjs/common';
import type { z } from 'zod';

/** Where a request went wrong: the parameter (or body field, as a dotted path) by name, and what is wrong with it. */
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
    throw badRequest(result.error.issues.flatMap((issue) => problemsOf(issue, metadata)));
  }
}

function problemsOf(issue: z.core.$ZodIssue, metadata: ArgumentMetadata): ParameterProblem[] {
  const inBody = metadata.type === 'body';
  // A body field is named by its whole path (`fishbone.people.0`): bodies nest, parameters do not.
  const where = (path: readonly PropertyKey[]) =>
    inBody ? path.map(String).join('.') || 'body' : (metadata.data ?? String(path[0] ?? 'query'));
  if (issue.code === 'unrecognized_keys') {
    const message = inBody ? 'is not a known field' : 'is not a known parameter';
    return issue.keys.map((key) => ({ parameter: where([...issue.path, key]), message }));
  }
  return [{ parameter: where(issue.path), message: issue.message }];
}

const pipe = new SchemaPipe();

/** The whole query string, validated by `schema` (a strict zod object: unknown parameters are a 400). */
export const ValidQuery = (schema: z.ZodType) => Query({ schema, pipes: [pipe] });

/** One path parameter, validated by `schema`. */
export const ValidParam = (name: string, schema: z.ZodType) => Param(name, { schema, pipes: [pipe] });

/** The JSON body, validated by `schema` (a strict zod object: unknown fields are a 400, each bad field named by its path). */
export const ValidBody = (schema: z.ZodType) => Body({ schema, pipes: [pipe] });
