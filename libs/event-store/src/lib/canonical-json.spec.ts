import { CanonicalJsonError, canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts object keys at every depth, so key order in the input never changes the text', () => {
    const a = { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } };
    const b = { a: { c: null, d: [{ y: 2, z: 1 }] }, b: 1 };
    expect(canonicalJson(a)).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('sorts array-index-like keys as strings too, although V8 would enumerate them first', () => {
    expect(
      canonicalJson({ b: 1, 10: 2, 2: 3, '!': 4, a: { 1: true, 0: false } }),
    ).toBe('{"!":4,"10":2,"2":3,"a":{"0":false,"1":true},"b":1}');
  });

  it('keeps a __proto__ key that came from JSON as an ordinary key', () => {
    const parsed = JSON.parse('{"z":1,"__proto__":{"polluted":true}}');
    expect(canonicalJson(parsed)).toBe('{"__proto__":{"polluted":true},"z":1}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('keeps array order, because order in an array is meaning', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
  });

  it('sorts keys by UTF-16 code unit, not by length like jsonb does', () => {
    expect(canonicalJson({ bb: 1, a: 2, B: 3, é: 4 })).toBe(
      '{"B":3,"a":2,"bb":1,"é":4}',
    );
  });

  it('writes strings and numbers exactly as JSON.stringify does', () => {
    const value = {
      s: 'quote " backslash \\ newline \n tab \t \u0001 ✓',
      n: [0, -0, 1.5, 1e21, 1e-7, -42],
    };
    expect(canonicalJson(value)).toBe(
      JSON.stringify({ n: value.n, s: value.s }),
    );
  });

  it('gives the same text for a value and its JSON round trip (what jsonb hands back)', () => {
    const value = {
      when: new Date('2025-01-02T03:04:05.678Z'),
      nested: { skip: undefined, keep: true },
    };
    expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(
      canonicalJson(value),
    );
    expect(canonicalJson(value)).toBe(
      '{"nested":{"keep":true},"when":"2025-01-02T03:04:05.678Z"}',
    );
  });

  it.each([
    ['NaN', { n: Number.NaN }, '$.n'],
    ['Infinity', { n: Number.POSITIVE_INFINITY }, '$.n'],
    ['undefined in an array', { list: [1, undefined] }, '$.list[1]'],
    // eslint-disable-next-line no-sparse-arrays
    ['a hole in an array', { list: [1, , 3] }, '$.list[1]'],
    ['a BigInt', { big: BigInt(1) }, '$.big'],
    ['a function', { fn: () => 1 }, '$.fn'],
    ['a Map', { m: new Map([[1, 2]]) }, '$.m'],
    ['a Set', { s: new Set([1]) }, '$.s'],
    ['undefined at the top', undefined, '$'],
  ])('rejects %s with an error naming where it is', (_what, value, path) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    expect(() => canonicalJson(value)).toThrow(`cannot serialise ${path}`);
  });

  it('rejects a circular structure instead of overflowing the stack', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop['self'] = loop;
    expect(() => canonicalJson(loop)).toThrow(/circular reference/);
  });

  it('accepts the same object twice when it is shared, not circular', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe(
      '{"a":{"x":1},"b":{"x":1}}',
    );
  });
});
