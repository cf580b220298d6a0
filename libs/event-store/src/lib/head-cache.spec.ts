import { HeadCache } from './head-cache';

describe('HeadCache', () => {
  it('forgets the least recently written stream first once full', () => {
    const cache = new HeadCache(2);
    cache.set('a', { version: 1, hash: 'h1' });
    cache.set('b', { version: 1, hash: 'h2' });
    cache.set('a', { version: 2, hash: 'h3' });
    cache.set('c', { version: 1, hash: 'h4' });
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual({ version: 2, hash: 'h3' });
    expect(cache.get('c')).toEqual({ version: 1, hash: 'h4' });
  });

  it('stays within its capacity, forgetting the oldest streams a batch at a time', () => {
    const cache = new HeadCache(160);
    for (let i = 0; i < 1_000; i++) cache.set(`s-${i}`, { version: 1, hash: `h${i}` });
    const kept = Array.from({ length: 1_000 }, (_, i) => i).filter((i) => cache.get(`s-${i}`) !== undefined);
    expect(kept.length).toBeLessThanOrEqual(160);
    expect(kept.length).toBeGreaterThanOrEqual(150);
    // Whatever is kept is the most recently written.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, k) => 1_000 - kept.length + k));
  });
});
