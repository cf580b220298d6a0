import { GENESIS_HASH } from '@incident/event-store';
import { incidentEvents as ev, minutesAfter, storedStream, T0 } from '../testing/stored-events';
import type { VerifyReport } from '../verify/report';
import { type Evidence, buildEvidence, evidenceJsonl } from './bundle';
import { evidenceMarkdown } from './markdown';

const ID = '6c1e0c1a-8d64-4a53-9b1e-6b4f0a7d2c11';
const STREAM = `incident-${ID}`;
const VERIFIED: VerifyReport = { ok: true, schema: 'event_log', scope: STREAM, checks: [{ name: 'hash chain', ok: true, detail: '1 stream, 5 events' }], counted: { streams: 1, events: 5 }, broken: null };

describe('an incident\'s evidence bundle', () => {
  it('is self-describing JSONL: a header with format and chain recipe, each event with both hashes, the state, the timeline, the verification', () => {
    const lines = evidenceJsonl(evidence()).trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => l.record)).toEqual(['header', 'event', 'event', 'event', 'event', 'event', 'state', 'timeline', 'verification']);
    expect(lines[0]).toMatchObject({ format: 'incidentctl/evidence', formatVersion: 1, incidentId: ID, eventCount: 5, lastVersion: 5, hashChain: { genesis: GENESIS_HASH } });
    expect(lines[1]).toMatchObject({ version: 1, type: 'IncidentOpened', prevHash: GENESIS_HASH, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(lines[2].prevHash).toBe(lines[1].hash);
    expect(lines[0].headHash).toBe(lines[5].hash);
    expect(lines[6].incident).toMatchObject({ status: 'resolved', severity: 'SEV-2', version: 5, impact: { signalCount: 2, affectedUsers: 1 } });
    expect(lines[7].entries.map((e: { event: string }) => e.event)).toEqual(['IncidentOpened', 'SignalAttached', 'SeverityChanged', 'IncidentResolved']);
    expect(lines[8]).toMatchObject({ log: { ok: true }, bundle: { ok: true, eventsChecked: 5, firstMismatch: null } });
  });

  it('re-hashes its own events and says where they stop matching the chain', () => {
    const events = storedStream(STREAM, history());
    events[2] = { ...events[2], payload: { ...events[2].payload, level: 'WARN' } };
    const b = buildEvidence({ incidentId: ID, streamId: STREAM, schema: 'event_log', exportedAt: T0, tool: 'incidentctl test', events, verify: VERIFIED });
    expect(b.verification.bundle).toEqual({ ok: false, eventsChecked: 5, firstMismatch: 3 });
  });

  it('reads as a report in markdown with the verdict, state, timeline with rule versions, and every event in full', () => {
    const md = evidenceMarkdown(evidence());
    expect(md).toMatch(/^# Incident evidence: timeout in checkout\/payment/);
    expect(md).toMatch(/\| verification \| verified: every event is as it was appended \|/);
    expect(md).toMatch(/severity SEV-3 -> SEV-2.*\[rule severity\.major-degradation, correlation-policy\/v1; inputs: errorRate=0\.62\]/);
    expect(md.match(/^### Version \d+: /gm)).toHaveLength(5);
    expect(md).toMatch(/no postmortem is included/);
  });
});

function history() {
  return [ev.opened(ID), ev.signal(minutesAfter(T0, 1), 'u-1'), ev.signal(minutesAfter(T0, 2), 'u-1'), ev.severityChanged(minutesAfter(T0, 3), 'SEV-3', 'SEV-2'), ev.resolved(minutesAfter(T0, 40))];
}

function evidence(): Evidence {
  return buildEvidence({ incidentId: ID, streamId: STREAM, schema: 'event_log', exportedAt: T0, tool: 'incidentctl test', events: storedStream(STREAM, history()), verify: VERIFIED });
}
