import { incidentEvents as ev, minutesAfter, T0 } from '../testing/stored-events';
import { compare, outcomes } from './outcome';

const stored = (events: ReturnType<typeof ev.opened>[]) => events.map((e) => ({ type: e.type, payload: { ...e.data } as Record<string, unknown> }));

describe('comparing recorded and replayed incidents per fingerprint', () => {
  const recorded = outcomes(new Map([
    ['i1', stored([ev.opened('i1'), ev.signal(minutesAfter(T0, 1), 'u1'), ev.signal(minutesAfter(T0, 2), 'u2'), ev.resolved(minutesAfter(T0, 40))])],
    ['i2', stored([ev.opened('i2', { at: minutesAfter(T0, 60) }), ev.signal(minutesAfter(T0, 61))])],
  ]));

  it('numbers the incidents of one fingerprint in opening order', () => {
    expect(recorded.map((o) => [o.key, o.signalCount, o.affectedUsers, o.status])).toEqual([
      ['checkout|payment|timeout #1', 2, 2, 'resolved'],
      ['checkout|payment|timeout #2', 1, 0, 'open'],
    ]);
  });

  it('is identical for the same incidents under other ids', () => {
    const again = outcomes(new Map([
      ['j2', stored([ev.opened('j2', { at: minutesAfter(T0, 60) }), ev.signal(minutesAfter(T0, 61))])],
      ['j1', stored([ev.opened('j1'), ev.signal(minutesAfter(T0, 1), 'u1'), ev.signal(minutesAfter(T0, 2), 'u2'), ev.resolved(minutesAfter(T0, 40))])],
    ]));
    expect(compare(recorded, again)).toMatchObject({ identical: true, same: 2 });
  });

  it('names each changed field, and the incidents only one side has', () => {
    const replayed = outcomes(new Map([['k1', stored([ev.opened('k1'), ev.signal(minutesAfter(T0, 1), 'u1'), ev.severityChanged(minutesAfter(T0, 2), 'SEV-3', 'SEV-2')])]]));
    const diff = compare(recorded, replayed);
    expect(diff.identical).toBe(false);
    expect(diff.changed[0].changes).toEqual([
      { field: 'severity', recorded: 'SEV-3', replayed: 'SEV-2' },
      { field: 'status', recorded: 'resolved', replayed: 'open' },
      { field: 'signalCount', recorded: 2, replayed: 1 },
      { field: 'affectedUsers', recorded: 2, replayed: 1 },
      { field: 'resolvedAt', recorded: minutesAfter(T0, 40), replayed: null },
      { field: 'resolvedBy', recorded: 'resolve.quiet-period', replayed: null },
    ]);
    expect(diff.onlyRecorded.map((o) => o.key)).toEqual(['checkout|payment|timeout #2']);
    expect(diff.onlyReplayed).toEqual([]);
  });
});
