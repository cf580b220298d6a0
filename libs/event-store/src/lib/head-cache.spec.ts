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
});
