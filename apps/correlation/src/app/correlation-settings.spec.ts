import { loadCorrelationSettings } from './correlation-settings';

describe('correlation settings', () => {
  it('polls timers every 5 s and caps every cache by default', () => {
    expect(loadCorrelationSettings({})).toEqual({
      timers: { pollIntervalMs: 5_000, batch: 100 },
      cache: { correlations: 10_000, incidents: 1_000, sources: 10_000 },
      maxConflictRetries: 10,
    });
  });

  it('names each bad variable', () => {
    expect(() => loadCorrelationSettings({ CORRELATION_TIMER_POLL_MS: 'soon', CORRELATION_CACHE_INCIDENTS: '0' })).toThrow(
      /CORRELATION_TIMER_POLL_MS[\s\S]*CORRELATION_CACHE_INCIDENTS/,
    );
  });
});
