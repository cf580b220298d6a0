import { Lru } from './lru';

describe('bounded LRU cache', () => {
  it('never holds more entries than its capacity, dropping the least recently used', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    lru.get('a');
    lru.set('c', 3);
    expect(lru.size).toBe(2);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
  });

  it('refuses a capacity that would make it unbounded or useless', () => {
    expect(() => new Lru(0)).toThrow(RangeError);
    expect(() => new Lru(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
