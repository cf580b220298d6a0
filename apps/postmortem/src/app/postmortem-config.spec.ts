import { loadPostmortemSettings } from './postmortem-config';

describe('postmortem settings', () => {
  it('looks at overdue timers every 30 s, 100 at a time, by default', () => {
    expect(loadPostmortemSettings({})).toEqual({ timers: { pollIntervalMs: 30_000, batch: 100 } });
  });

  it('names each bad variable', () => {
    expect(() => loadPostmortemSettings({ POSTMORTEM_TIMER_POLL_MS: 'often', POSTMORTEM_TIMER_BATCH: '-1' })).toThrow(/POSTMORTEM_TIMER_POLL_MS[\s\S]*POSTMORTEM_TIMER_BATCH/);
  });
});
