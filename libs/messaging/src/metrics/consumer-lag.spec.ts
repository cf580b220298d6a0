import { lagOf } from './consumer-lag';

describe('consumer group lag', () => {
  const watermarks = [
    { partition: 0, low: '0', high: '120' },
    { partition: 1, low: '40', high: '90' },
    { partition: 2, low: '0', high: '0' },
  ];

  it('is what lies past the committed offset of each partition, summed', () => {
    expect(lagOf(watermarks, [{ partition: 0, offset: '100' }, { partition: 1, offset: '90' }, { partition: 2, offset: '0' }])).toBe(20);
  });

  it('counts a partition the group never committed on from its low watermark', () => {
    expect(lagOf(watermarks, [{ partition: 0, offset: '-1' }])).toBe(120 + 50);
  });

  it('is never negative when a commit is ahead of a stale watermark', () => {
    expect(lagOf([{ partition: 0, low: '0', high: '10' }], [{ partition: 0, offset: '12' }])).toBe(0);
  });
});
