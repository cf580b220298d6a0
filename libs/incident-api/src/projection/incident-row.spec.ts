import { randomUUID } from 'node:crypto';
import type { IncidentEvent } from '@incident/incident-domain';
import { decidedStorm, errorRate, fold, minutesAfter, opened, resolved, severityChanged, signal, T0 } from '../fixtures/incident-events';
import { applyBatch, applyIncidentEvent, type IncidentRow, type ProjectedEvent, userKey, usersToClaim } from './incident-row';

describe('the incidents row of an incident', () => {
  it('opens a row from IncidentOpened with nothing counted yet', () => {
    const row = project([opened({ incidentId: ID, severity: 'SEV-3' })]).get(ID);
    expect(row).toEqual({
      id: ID, title: 'rate_limit in api/agent: Rate limit exceeded', type: 'rate_limit', source: 'api', fingerprint: 'api|agent|rate_limit',
      status: 'open', severity: 'SEV-3', openedAt: T0, resolvedAt: null, signalCount: 0, affectedUsers: 0, errorRate: null, lastSeenAt: T0, version: 1,
    });
  });

  it('counts each attached signal and keeps the latest time one was seen, even when they arrive out of order', () => {
    const row = project([opened({ incidentId: ID }), signal(minutesAfter(T0, 5)), signal(minutesAfter(T0, 2))]).get(ID);
    expect(row).toMatchObject({ signalCount: 2, lastSeenAt: minutesAfter(T0, 5), version: 3 });
  });

  it('counts a user once however many of their signals arrive, in one batch or across batches', () => {
    const events = [opened({ incidentId: ID }), signal(T0, { userId: 'u-1' }), signal(T0, { userId: 'u-1' }), signal(T0, { userId: 'u-2' })];
    const first = project(events);
    expect(first.get(ID)?.affectedUsers).toBe(2);
    // u-1 is already in incident_users, so a later batch's claim does not return it.
    const later = applyBatch(first, projected([signal(T0, { userId: 'u-1' })], 5), new Set());
    expect(later.get(ID)).toMatchObject({ signalCount: 4, affectedUsers: 2 });
  });

  it('takes severity, error rate and resolution from their events', () => {
    const row = project([opened({ incidentId: ID }), errorRate(minutesAfter(T0, 1), 100, 60), severityChanged(minutesAfter(T0, 1), 'SEV-3', 'SEV-2'), resolved(minutesAfter(T0, 40))]).get(ID);
    expect(row).toMatchObject({ severity: 'SEV-2', errorRate: 0.6, status: 'resolved', resolvedAt: minutesAfter(T0, 40), version: 4 });
  });

  it('leaves a row alone for an event at or below its version, so a replayed batch counts nothing twice', () => {
    const events = projected([opened({ incidentId: ID }), signal(T0), signal(T0)]);
    const rows = applyBatch(new Map(), events, new Set());
    expect(applyBatch(rows, events, new Set()).size).toBe(0);
    expect(applyIncidentEvent(rows.get(ID), events[1])).toBe(rows.get(ID));
  });

  it('ignores events of an incident whose opening it has not seen, as the fold does', () => {
    expect(applyIncidentEvent(undefined, projected([signal(T0)], 2)[0])).toBeUndefined();
  });

  it('claims users only from signals newer than the row', () => {
    const rows = project([opened({ incidentId: ID }), signal(T0, { userId: 'u-1' })]);
    const replayed = projected([signal(T0, { userId: 'u-1' })], 2);
    const fresh = projected([signal(T0, { userId: 'u-2' })], 3);
    expect(usersToClaim(rows, [...replayed, ...fresh])).toEqual([{ incidentId: ID, userId: 'u-2' }]);
  });

  it('agrees with the domain fold on a storm correlation decided, signal by signal and rate by rate', () => {
    const events = decidedStorm(ID, 500, { users: 37, sampleEvery: 50, errorShare: (i) => (i < 200 ? 0.2 : 0.95) });
    const state = fold(events);
    if (state.status === 'none') throw new Error('the storm opened no incident');
    const row = project(events).get(ID);
    expect(row).toMatchObject({
      severity: state.severity, signalCount: state.impact.signalCount, affectedUsers: state.impact.affectedUsers,
      errorRate: state.impact.errorRate, lastSeenAt: state.impact.lastSeenAt, version: state.version, status: state.status,
    });
    expect(state.severity).toBe('SEV-1');
  });
});

const ID = randomUUID();

/** Applies events as one batch, claiming every user on first sight (a fresh incident_users). */
function project(events: IncidentEvent[], firstVersion = 1): Map<string, IncidentRow> {
  const batch = projected(events, firstVersion);
  const claimed = new Set(usersToClaim(new Map(), batch).map((c) => userKey(c.incidentId, c.userId)));
  return applyBatch(new Map(), batch, claimed);
}

function projected(events: IncidentEvent[], firstVersion = 1): ProjectedEvent[] {
  return events.map((event, i) => ({ incidentId: ID, streamVersion: firstVersion + i, occurredAt: event.data.at, event }));
}
