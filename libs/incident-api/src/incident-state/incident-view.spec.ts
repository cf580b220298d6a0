import { randomUUID } from 'node:crypto';
import type { StoredEvent } from '@incident/event-store';
import type { IncidentEvent } from '@incident/incident-domain';
import { minutesAfter, opened, severityChanged, signal, T0, toNewEvent } from '../fixtures/incident-events';
import { incidentView } from './incident-view';

describe('an incident state as the API shows it', () => {
  it('is the domain fold of the events it is given, as of the last one', () => {
    const view = incidentView(stored([opened({ incidentId: ID }), signal(T0, { userId: 'u-1' }), severityChanged(minutesAfter(T0, 1), 'SEV-3', 'SEV-2')]), { version: 3 });
    expect(view).toMatchObject({ id: ID, status: 'open', severity: 'SEV-2', version: 3, asOf: { at: null, version: 3 } });
    expect(view?.impact).toMatchObject({ signalCount: 1, affectedUsers: 1 });
    expect(JSON.stringify(view)).not.toContain('u-1'); // the user ids themselves stay out of the answer
  });

  it('counts events of a type it does not know towards the version but folds them as nothing', () => {
    const events = stored([opened({ incidentId: ID })]);
    const note = { ...events[0], type: 'NoteAdded', streamVersion: 2, payload: { note: 'x' } };
    expect(incidentView([...events, note])).toMatchObject({ version: 2, severity: 'SEV-3' });
  });

  it('is nothing when no event opened the incident', () => {
    expect(incidentView([])).toBeUndefined();
    expect(incidentView(stored([signal(T0)]))).toBeUndefined();
  });
});

const ID = randomUUID();

function stored(events: IncidentEvent[]): StoredEvent[] {
  return events.map((e, i) => ({
    ...toNewEvent(e),
    streamId: `incident-${ID}`,
    streamVersion: i + 1,
    globalPosition: String(i + 1),
    transactionId: '1',
    recordedAt: new Date(e.data.at),
    hash: '0'.repeat(64),
    metadata: {},
  }));
}
