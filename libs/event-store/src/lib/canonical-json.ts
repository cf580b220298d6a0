/** Thrown for values that have no single JSON form, so could not be hashed reproducibly. */
export class CanonicalJsonError extends Error {
  readonly code = 'NON_CANONICAL_JSON' as const;

  constructor(path: string, problem: string) {
    super(`cannot serialise ${path} canonically: ${problem}`);
    this.name = 'CanonicalJsonError';
  }
}

/**
 * JSON with object keys sorted recursively (by UTF-16 code unit, i.e. Array.prototype.sort),
 * no whitespace, numbers and strings exactly as JSON.stringify writes them.
 *
 * The hash chain is computed over this text, in JS, both when appending and when verifying, so it
 * never depends on how PostgreSQL happens to print a jsonb value (jsonb reorders keys by length
 * and normalises numbers). A value survives the jsonb round trip iff it is plain JSON, which is
 * why everything JSON.stringify would silently change or drop (NaN, holes and undefined in arrays,
 * Map, Set, BigInt) is an error here rather than a different hash after the round trip.
 * Like JSON.stringify, object properties that are undefined are omitted and toJSON is honoured
 * (a Date becomes its ISO string, which is also what comes back from jsonb).
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      return writeObject(value, path, ancestors);
    default:
      throw new CanonicalJsonError(path, `${typeof value} is not a JSON value`);
  }
}

function writeObject(value: object, path: string, ancestors: Set<object>): string {
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') {
    return write((withToJson.toJSON as () => unknown).call(value), path, ancestors);
  }
  if (value instanceof Map || value instanceof Set) {
    throw new CanonicalJsonError(path, `${value.constructor.name} has no JSON form`);
  }
  if (ancestors.has(value)) throw new CanonicalJsonError(path, 'circular reference');
  ancestors.add(value);
  try {
    return Array.isArray(value) ? writeArray(value, path, ancestors) : writeRecord(value, path, ancestors);
  } finally {
    ancestors.delete(value);
  }
}

function writeArray(items: readonly unknown[], path: string, ancestors: Set<object>): string {
  const parts: string[] = new Array(items.length);
  // An index loop, not map: map skips holes, which JSON.stringify would turn into null.
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === undefined) throw new CanonicalJsonError(`${path}[${i}]`, 'undefined inside an array');
    parts[i] = write(item, `${path}[${i}]`, ancestors);
  }
  return `[${parts.join(',')}]`;
}

function writeRecord(record: object, path: string, ancestors: Set<object>): string {
  const fields = record as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(fields).sort()) {
    const field = fields[key];
    if (field === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${write(field, `${path}.${key}`, ancestors)}`);
  }
  return `{${parts.join(',')}}`;
}
