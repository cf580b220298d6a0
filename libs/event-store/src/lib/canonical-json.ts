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
 *
 * It runs for every event appended and verified, so it first tries a fast path: a key-sorted copy
 * handed to the native JSON.stringify. That path gives up on anything unusual, and the careful
 * writer (which also names the offending path in its errors) takes over: a value JSON has no form
 * for, or keys whose order V8 would not keep (array-index-like keys are always enumerated first,
 * in numeric order; `__proto__` cannot be assigned as an own key).
 */
export function canonicalJson(value: unknown): string {
  try {
    return JSON.stringify(sortedCopy(value, 0));
  } catch (error) {
    if (error !== GIVE_UP) throw error;
  }
  try {
    return write(value, 0);
  } catch (error) {
    if (error instanceof Problem)
      throw new CanonicalJsonError(`$${error.path.join('')}`, error.problem);
    throw error;
  }
}

const MAX_DEPTH = 1000;
const GIVE_UP = Symbol('not plain enough for the fast path');
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

function sortedCopy(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw GIVE_UP;
      return value;
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_DEPTH || value instanceof Map || value instanceof Set)
        throw GIVE_UP;
      const toJson = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJson === 'function')
        return sortedCopy(toJson.call(value), depth);
      if (Array.isArray(value)) {
        const copy = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          if (value[i] === undefined) throw GIVE_UP;
          copy[i] = sortedCopy(value[i], depth + 1);
        }
        return copy;
      }
      const record = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(record).sort()) {
        const first = key.charCodeAt(0);
        if (
          (first >= 48 && first <= 57 && INDEX_LIKE.test(key)) ||
          key === '__proto__'
        )
          throw GIVE_UP;
        const field = record[key];
        if (field !== undefined) copy[key] = sortedCopy(field, depth + 1);
      }
      return copy;
    }
    default:
      throw GIVE_UP;
  }
}

/** Raised inside the careful writer; the path is assembled only while it unwinds. */
class Problem {
  readonly path: string[] = [];
  constructor(readonly problem: string) {}
}

function write(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new Problem(`${value} is not a finite number`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH)
        throw new Problem(
          `nested more than ${MAX_DEPTH} levels deep (a circular reference?)`,
        );
      return writeObject(value, depth + 1);
    default:
      throw new Problem(`${typeof value} is not a JSON value`);
  }
}

function writeObject(value: object, depth: number): string {
  const toJson = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJson === 'function') return write(toJson.call(value), depth);
  if (value instanceof Map || value instanceof Set)
    throw new Problem(`${value.constructor.name} has no JSON form`);
  return Array.isArray(value)
    ? writeArray(value, depth)
    : writeRecord(value as Record<string, unknown>, depth);
}

function writeArray(items: readonly unknown[], depth: number): string {
  let out = '[';
  // An index loop, not map or for-of: holes must be seen (JSON.stringify would turn them into null).
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    try {
      if (item === undefined) throw new Problem('undefined inside an array');
      out += (i === 0 ? '' : ',') + write(item, depth);
    } catch (error) {
      throw within(error, `[${i}]`);
    }
  }
  return `${out}]`;
}

function writeRecord(record: Record<string, unknown>, depth: number): string {
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const field = record[key];
    if (field === undefined) continue;
    try {
      out += `${first ? '' : ','}${JSON.stringify(key)}:${write(field, depth)}`;
    } catch (error) {
      throw within(error, `.${key}`);
    }
    first = false;
  }
  return `${out}}`;
}

function within(error: unknown, segment: string): unknown {
  if (error instanceof Problem) error.path.unshift(segment);
  return error;
}
