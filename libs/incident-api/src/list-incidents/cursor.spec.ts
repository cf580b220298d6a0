import { decodeCursor, encodeCursor } from './cursor';

describe('list cursors', () => {
  it('give back the sort key they were made from', () => {
    const key = { openedAt: '2025-03-01T10:00:00.000Z', id: '3f1c1a52-5d8e-4b0e-9a51-0f1f7a9e2c11' };
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(key);
  });

  it.each([
    ['not base64url', 'a+b/c='],
    ['not JSON', Buffer.from('{nope').toString('base64url')],
    ['JSON of another shape', Buffer.from(JSON.stringify({ o: 'yesterday', i: 'x' })).toString('base64url')],
    ['an extra field', Buffer.from(JSON.stringify({ o: '2025-03-01T10:00:00.000Z', i: '3f1c1a52-5d8e-4b0e-9a51-0f1f7a9e2c11', x: 1 })).toString('base64url')],
    ['empty', ''],
  ])('reject %s', (_, text) => {
    expect(decodeCursor(text)).toBeUndefined();
  });
});
