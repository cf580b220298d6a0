import { type ArgumentMetadata, BadRequestException, Body, Injectable, Param, type PipeTransform } from '@nestjs/common';
import { z } from 'zod';

/** Validates a route argument against its zod schema, answering 400 with each bad field named. */
@Injectable()
class SchemaPipe implements PipeTransform {
  constructor(private readonly schema: z.ZodType) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const result = this.schema.safeParse(value);
    if (result.success) return result.data;
    const where = (path: readonly PropertyKey[]) => (metadata.type === 'body' ? path.map(String).join('.') || 'body' : (metadata.data ?? 'parameter'));
    const problems = result.error.issues.map((i) => ({ parameter: where(i.path), message: i.message }));
    throw new BadRequestException({ error: 'bad_request', message: problems.map((p) => `${p.parameter}: ${p.message}`).join('; '), problems });
  }
}

export const ValidParam = (name: string, schema: z.ZodType) => Param(name, new SchemaPipe(schema));
/** A JSON body; an absent body is `{}`, so every field may be optional. */
export const ValidBody = (schema: z.ZodType) => Body(new SchemaPipe(z.preprocess((v) => v ?? {}, schema)));

export const IncidentIdSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'must be an incident id (a UUID)')
  .transform((id) => id.toLowerCase());

export const StepIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a runbook step id (lower case letters, digits and "-")');

export const DependencySchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'must be a dependency name (lower case letters, digits, ".", "_", "-")');

export const ExpectedVersionSchema = z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0).max(2_147_483_647);
