import { incidentView } from '@incident/incident-api';
import { eventRecord } from '../output/events';
import { incidentEvents as ev, minutesAfter, storedStream, T0 } from '../testing/stored-events';
import { selectIncidents } from './filter';
import { incidentListText, incidentStateText } from './render';

const A = '0a000000-0000-4000-8000-000000000001';
const B = '0b000000-0000-4000-8000-000000000002';
const C = '0c000000-0000-4000-8000-000000000003';

describe('incidents as tables and JSON', () => {
  const views = [
    view(A, [ev.opened(A, { at: T0 })]),
    view(B, [ev.opened(B, { at: minutesAfter(T0, 5), severity: 'SEV-2', source: 'search', incidentType: 'api_failure' }), ev.resolved(minutesAfter(T0, 50))]),
    view(C, [ev.opened(C, { at: minutesAfter(T0, 10) }), ev.signal(minutesAfter(T0, 11), 'u-9')]),
  ];

  it('lists newest opened first and applies every filter, as the API does', () => {
    expect(selectIncidents(views, { limit: 50 }).items.map((v) => v.id)).toEqual([C, B, A]);
    expect(selectIncidents(views, { limit: 50, status: ['resolved'] }).items.map((v) => v.id)).toEqual([B]);
    expect(selectIncidents(views, { limit: 50, severity: ['SEV-3'], service: ['checkout'] }).items.map((v) => v.id)).toEqual([C, A]);
    expect(selectIncidents(views, { limit: 50, type: ['api_failure'] }).items.map((v) => v.id)).toEqual([B]);
    expect(selectIncidents(views, { limit: 1 })).toMatchObject({ matched: 3, items: [{ id: C }] });
  });

  it('renders the list as a table that says how many matched and where they came from', () => {
    const { items, matched } = selectIncidents(views, { limit: 2 });
    const lines = incidentListText(items, matched, views.length).split('\n');
    expect(lines[0]).toMatch(/^ID +STATUS +SEVERITY +TYPE +SERVICE +OPENED AT +SIGNALS +USERS +TITLE$/);
    expect(lines[2]).toMatch(new RegExp(`^${C} +open +SEV-3 +timeout +checkout +2025-03-01T10:10:00.000Z +1 +1 +timeout in checkout/payment$`));
    expect(lines[4]).toBe('2 of 3 matching incidents (of 3 in the log; folded from the incident streams)');
  });

  it('shows one incident\'s state as of a version, then the events that led there with their hashes', () => {
    const events = storedStream(`incident-${C}`, [ev.opened(C), ev.signal(minutesAfter(T0, 1)), ev.resolved(minutesAfter(T0, 40))]).slice(0, 2);
    const state = incidentView(events, { version: 2 });
    if (!state) throw new Error('no state');
    const text = incidentStateText(state, events.map(eventRecord));
    expect(text).toMatch(/^as of +up to version 2 \(version 2\)$/m);
    expect(text).toMatch(/^status +open$/m);
    expect(text).toMatch(/^events that led there \(2\):$/m);
    expect(text).toMatch(new RegExp(`^ +2 +${events[1].recordedAt.toISOString()} +2025-03-01T10:01:00.000Z +SignalAttached +correlation +101 +${events[1].hash.slice(0, 16)}…$`, 'm'));
  });
});

function view(id: string, events: Parameters<typeof storedStream>[1]) {
  const state = incidentView(storedStream(`incident-${id}`, events));
  if (!state) throw new Error('no state');
  return state;
}
