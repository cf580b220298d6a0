import { progress } from './progress';

describe('progress on stderr', () => {
  it('writes an occasional full line with the rate to a pipe, and a closing line for a long run', () => {
    let t = 0;
    let written = '';
    const bar = progress({ write: (s) => void (written += s), isTTY: false }, 'rebuilding incidents', 'events', { now: () => t, lineIntervalMs: 1000 });
    t = 500;
    bar.update(10_000, 100_000);
    t = 2000;
    bar.update(50_000, 100_000);
    t = 4000;
    bar.finish('100,000 events read');
    expect(written).toBe('rebuilding incidents: 50,000 of 100,000 events (50%), 25,000 events/s, 2.0 s\nrebuilding incidents: 100,000 events read in 4.0 s\n');
  });

  it('stays silent for a run too short to have shown anything', () => {
    let written = '';
    const bar = progress({ write: (s) => void (written += s), isTTY: false }, 'x', 'events', { now: () => 0 });
    bar.update(1);
    bar.finish('1 event');
    expect(written).toBe('');
  });

  it('redraws one line in place on a terminal', () => {
    let t = 0;
    let written = '';
    const bar = progress({ write: (s) => void (written += s), isTTY: true }, 'walking', 'events', { now: () => t, ttyIntervalMs: 100 });
    t = 200;
    bar.update(10);
    t = 400;
    bar.update(20);
    bar.finish('20 events');
    expect(written.split('\r\x1b[2K')).toEqual(['', 'walking: 10 events, 50 events/s, 0.2 s', 'walking: 20 events, 50 events/s, 0.4 s', 'walking: 20 events in 0.4 s\n']);
  });
});
