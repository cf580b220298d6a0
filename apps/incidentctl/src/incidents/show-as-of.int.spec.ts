import { randomUUID } from 'node:crypto';
import { type IncidentView, incidentView } from '@incident/incident-api';
import type { StoredEvent } from '@incident/event-store';
import { type LogFixture, logFixture, sleep } from '../int-support/log-fixture';
import { incidentEvents as ev, minutesAfter, T0 } from '../testing/stored-events';

describe('incidents show: an incident as of any moment', () => {
  let log: LogFixture;
  const id = randomUUID();
  const stored: StoredEvent[] = [];

  beforeAll(async () => {
    log = await logFixture();
    const history = [
      ev.opened(id),
      ev.signal(minutesAfter(T0, 1), 'u-1'),
      ev.signal(minutesAfter(T0, 2), 'u-2'),
      ev.severityChanged(minutesAfter(T0, 3), 'SEV-3', 'SEV-2'),
      ev.signal(minutesAfter(T0, 4), 'u-1'),
      ev.resolved(minutesAfter(T0, 40)),
    ];
    // One append per event, apart in time, so each has its own recorded_at to stand between.
    for (const event of history) {
      stored.push(...(await log.appendIncident(id, [event])));
      await sleep(25);
    }
    await log.appendSignals(3);
  });
  afterAll(() => log.dispose());

  it('gives, for each moment between two events, exactly the state after the last event recorded before it', async () => {
    for (let i = 0; i < stored.length; i++) {
      const after = stored[i].recordedAt.getTime();
      const before = i + 1 < stored.length ? stored[i + 1].recordedAt.getTime() : after + 60_000;
      const at = new Date(Math.floor((after + before) / 2));
      const result = await log.cli(['incidents', 'show', id, '--at', at.toISOString(), '--json']);
      expect(result.code).toBe(0);
      const { incident, events } = result.json<{ incident: IncidentView; events: { version: number; hash: string }[] }>();
      expect(incident).toEqual(roundTrip(incidentView(stored.slice(0, i + 1), { at })));
      expect(events.map((e) => [e.version, e.hash])).toEqual(stored.slice(0, i + 1).map((e) => [e.streamVersion, e.hash]));
    }
  });

  it('gives the state after each version with --version, and the earlier of the two when both are given', async () => {
    for (let version = 1; version <= stored.length; version++) {
      const result = await log.cli(['incidents', 'show', `incident-${id}`, '--version', String(version), '--json']);
      expect(result.json<{ incident: IncidentView }>().incident).toEqual(roundTrip(incidentView(stored.slice(0, version), { version })));
    }
    const at = new Date(stored[4].recordedAt.getTime() + 5);
    const both = await log.cli(['incidents', 'show', id, '--at', at.toISOString(), '--version', '2', '--json']);
    expect(both.json<{ incident: IncidentView }>().incident).toMatchObject({ version: 2, impact: { signalCount: 1 } });
  });

  it('reads the same in a table: the folded state, then the events that led there', async () => {
    const result = await log.cli(['incidents', 'show', id, '--version', '4']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^severity +SEV-2$/m);
    expect(result.stdout).toMatch(/^events that led there \(4\):$/m);
    expect(result.stdout).toMatch(/^ +4 +\S+ +2025-03-01T10:03:00.000Z +SeverityChanged +correlation /m);
  });

  it('exits 1 before the incident opened, and for an incident the log never had', async () => {
    const early = await log.cli(['incidents', 'show', id, '--at', new Date(stored[0].recordedAt.getTime() - 1000).toISOString()]);
    expect(early).toMatchObject({ code: 1, stderr: expect.stringMatching(/had not been opened by then/) });
    expect(await log.cli(['incidents', 'show', randomUUID()])).toMatchObject({ code: 1, stderr: expect.stringMatching(/no incident/) });
  });
});

/** The CLI prints JSON: compare with what JSON makes of the expected view. */
function roundTrip(view: IncidentView | undefined): unknown {
  return JSON.parse(JSON.stringify(view));
}
