import { cloudEventToSignal } from './cloudevents';
import { MAX_BATCH, parseJsonSignals } from './json-signals';

describe('parseJsonSignals', () => {
  it('accepts one signal or an array of signals', () => {
    expect(parseJsonSignals({ source: 's', message: 'm' })).toEqual({ ok: true, value: [{ source: 's', message: 'm' }] });
    expect(parseJsonSignals([{ source: 's', message: 'a' }, { source: 's', message: 'b' }])).toMatchObject({ ok: true });
  });

  it('names every bad item by index and field, and accepts none of the batch', () => {
    const parsed = parseJsonSignals([{ source: 's', message: 'ok' }, { source: 's' }, { message: 'm', level: 'LOUD' }]);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.issues.map((i) => i.at).sort()).toEqual(['[1].message', '[2].level', '[2].source']);
  });

  it(`refuses a batch over ${MAX_BATCH} signals`, () => {
    const batch = Array.from({ length: MAX_BATCH + 1 }, () => ({ source: 's', message: 'm' }));
    expect(parseJsonSignals(batch)).toMatchObject({ ok: false, issues: [{ message: expect.stringContaining('at most 1000') }] });
  });

  it('refuses an empty batch', () => {
    expect(parseJsonSignals([])).toMatchObject({ ok: false });
  });
});

describe('cloudEventToSignal', () => {
  const event = { specversion: '1.0', id: 'e-1', source: 'billing', type: 'com.example.failure', time: '2026-11-27T10:00:00Z', data: { message: 'boom', errorCode: 503 } };

  it('fills the signal source, id and time from a structured CloudEvent', () => {
    expect(cloudEventToSignal(event)).toEqual({
      ok: true,
      value: { id: 'cloudevent:billing:e-1', source: 'billing', timestamp: '2026-11-27T10:00:00Z', message: 'boom', errorCode: 503 },
    });
  });

  it('names the bad data field', () => {
    expect(cloudEventToSignal({ ...event, data: { errorCode: 503 } })).toMatchObject({ ok: false, issues: [{ at: 'data.message' }] });
  });
});
