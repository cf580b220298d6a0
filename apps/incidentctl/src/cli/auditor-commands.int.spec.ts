import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncidentView } from '@incident/incident-api';
import { type LogFixture, logFixture } from '../int-support/log-fixture';
import { incidentEvents as ev, minutesAfter, T0 } from '../testing/stored-events';
import type { Timeline } from '../timeline/timeline';

describe('the auditor\'s read commands against a live log, as incident_reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'incidentctl-export-'));
  let log: LogFixture;
  const storm = randomUUID();
  const quiet = randomUUID();
  beforeAll(async () => {
    log = await logFixture();
    await log.appendIncident(storm, [ev.opened(storm, { severity: 'SEV-3' }), ...Array.from({ length: 30 }, (_, i) => ev.signal(minutesAfter(T0, 1 + i / 10), `u-${i % 4}`))]);
    await log.appendIncident(storm, [ev.severityChanged(minutesAfter(T0, 5), 'SEV-3', 'SEV-2'), ev.resolved(minutesAfter(T0, 45))]);
    await log.appendIncident(quiet, [ev.opened(quiet, { at: minutesAfter(T0, 60), source: 'search', incidentType: 'api_failure' })]);
    await log.appendSignals(5);
  });
  afterAll(async () => {
    await log.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the incidents folded from the log, filtered like the API', async () => {
    const all = await log.cli(['incidents', 'list', '--json']);
    expect(all.code).toBe(0);
    expect(all.json<{ source: string; total: number; items: IncidentView[] }>()).toMatchObject({ source: 'log', total: 2, items: [{ id: quiet }, { id: storm, status: 'resolved', severity: 'SEV-2' }] });
    const resolved = await log.cli(['incidents', 'list', '--status', 'resolved', '--service', 'checkout']);
    expect(resolved.stdout).toMatch(new RegExp(`^${storm} +resolved +SEV-2 +timeout +checkout `, 'm'));
    expect(resolved.stdout).toMatch(/^1 matching incident \(of 2 in the log/m);
  });

  it('prints the timeline with each decision\'s rule, policy version, inputs and actor, and signals as counts', async () => {
    const json = (await log.cli(['timeline', storm, '--json'])).json<Timeline>();
    expect(json.entries.map((e) => [e.event, e.count])).toEqual([['IncidentOpened', 1], ['SignalAttached', 30], ['SeverityChanged', 1], ['IncidentResolved', 1]]);
    const text = await log.cli(['timeline', storm]);
    expect(text.stdout).toMatch(/^ +2-31 +2025-03-01 10:01:00 UTC to 2025-03-01 10:03:54 UTC {2}30 signals attached/m);
    // The wording is incident-api's renderer's; what matters here is that the decision line carries actor, rule, version and inputs.
    const decision = text.stdout.split('\n').find((line) => line.includes('severity SEV-3 -> SEV-2')) ?? '';
    expect(decision).toMatch(/correlation/);
    expect(decision).toMatch(/\[rule severity\.major-degradation, correlation-policy\/v1; inputs: errorRate=0\.62\]/);
    expect(await log.cli(['timeline', randomUUID()])).toMatchObject({ code: 1 });
  });

  it('exports a verified evidence bundle, as JSONL and as markdown', async () => {
    const out = join(dir, 'storm.jsonl');
    const written = await log.cli(['export', storm, '--format', 'jsonl', '--out', out, '--json']);
    expect(written.code).toBe(0);
    expect(written.json()).toMatchObject({ events: 33, verified: true });
    const records = readFileSync(out, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(records[0]).toMatchObject({ record: 'header', format: 'incidentctl/evidence', eventCount: 33 });
    expect(records.at(-1)).toMatchObject({ record: 'verification', log: { ok: true, scope: `incident-${storm}` }, bundle: { ok: true, eventsChecked: 33 } });
    const md = await log.cli(['export', storm, '--format', 'md']);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/\| verification \| verified: every event is as it was appended \|/);
  });

  it('exports a bundle that records a broken stream, and exits 1', async () => {
    await log.behindTheLogsBack(`UPDATE ${log.s}.events SET payload = payload || '{"level":"INFO"}' WHERE stream_id = $1 AND stream_version = 7`, [`incident-${storm}`]);
    const result = await log.cli(['export', storm, '--format', 'jsonl']);
    expect(result.code).toBe(1);
    const last = JSON.parse(result.stdout.trimEnd().split('\n').at(-1) ?? '{}');
    expect(last).toMatchObject({ log: { ok: false, broken: { streamVersion: 7 } }, bundle: { ok: false, firstMismatch: 7 } });
  });
});
