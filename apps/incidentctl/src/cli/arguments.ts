import { InvalidArgumentError } from 'commander';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// An instant needs its zone: "12:00" alone would mean the auditor's local time, silently.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An incident id: its uuid, or its stream id `incident-<uuid>`; upper case is folded to the log's lower case. */
export function incidentIdArg(value: string): string {
  const id = value.trim().toLowerCase().replace(/^incident-/, '');
  if (!UUID.test(id)) throw new InvalidArgumentError('must be an incident id (a uuid, or incident-<uuid>)');
  return id;
}

/** A stream id as given, except that a bare uuid means that incident's stream. */
export function streamIdArg(value: string): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new InvalidArgumentError('must be a stream id, e.g. incident-<uuid>');
  return UUID.test(trimmed.toLowerCase()) ? `incident-${trimmed.toLowerCase()}` : trimmed;
}

export function instantArg(value: string): Date {
  const ms = ISO_INSTANT.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError('must be an ISO-8601 date-time with a zone, e.g. 2025-03-01T10:00:00Z');
  return new Date(ms);
}

export function positiveIntArg(value: string): number {
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

/** A comma-separated filter whose values must each be one of `allowed`. */
export function oneOfArg<const T extends string>(allowed: readonly T[]): (value: string) => T[] {
  return (value) => {
    const values = value.split(',').map((v) => v.trim()).filter(Boolean);
    const wrong = values.filter((v) => !(allowed as readonly string[]).includes(v));
    if (values.length === 0 || wrong.length > 0) {
      throw new InvalidArgumentError(`must be one or more (comma-separated) of ${allowed.join(', ')}`);
    }
    return values as T[];
  };
}

export function listArg(value: string): string[] {
  const values = value.split(',').map((v) => v.trim()).filter(Boolean);
  if (values.length === 0) throw new InvalidArgumentError('must name at least one value');
  return values;
}
