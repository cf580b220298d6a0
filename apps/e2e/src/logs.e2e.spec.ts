import { randomBytes } from 'node:crypto';
import { api, stack, uniqueSource } from './support/stack';
import { serviceLogLines } from './support/telemetry';

// Issue 6 acceptance (logs): every service writes JSON lines with its name, and the trace and
// incident they belong to; no API key ever reaches a log, whether it was accepted or refused.
describe('service logs', () => {
  const wrongKey = `ik_admin_${randomBytes(24).toString('base64url')}`;
  const INCIDENT = '5d1c0b7e-8a4f-4c2e-9b6d-3f7a1e2c4b5d';

  beforeAll(async () => {
    const s = stack();
    await api('GET', '/v1/incidents?limit=1', { key: s.readerKey });
    await api('GET', `/v1/incidents/${INCIDENT}`, { key: s.readerKey });
    await api('POST', '/v1/signals', { key: wrongKey, json: { source: 's', message: 'm' } });
    await api('POST', '/v1/signals', { key: s.readerKey, json: { source: 's', message: 'm' } });
    await api('POST', '/v1/signals', { json: { source: uniqueSource('logs'), message: `key leaked in a message? Bearer ${wrongKey}` } });
    // The request logs are written when the answers are: give the pipes a moment.
    await new Promise((r) => setTimeout(r, 500));
  });

  it('never contains an API key, accepted or refused', () => {
    const s = stack();
    const lines = serviceLogLines();
    expect(lines.length).toBeGreaterThan(0);
    for (const key of [s.adminKey, s.readerKey, wrongKey]) expect(lines.filter((l) => l.line.includes(key)).map((l) => l.file)).toEqual([]);
  });

  it('is JSON with the service name, and request lines carry the route, the status and the trace', () => {
    const json = serviceLogLines()
      .filter((l) => l.line.startsWith('{'))
      .map((l) => ({ file: l.file, entry: JSON.parse(l.line) as Record<string, unknown> }));
    for (const service of ['ingest', 'classifier', 'correlation', 'remediation', 'postmortem']) {
      expect(json.some((j) => j.entry['service'] === service && typeof j.entry['time'] === 'string' && typeof j.entry['level'] === 'string')).toBe(true);
    }
    const http = (j: { entry: Record<string, unknown> }) => (j.entry['http'] ?? {}) as { status?: number; route?: string; method?: string };
    const refused = json.find((j) => http(j).status === 401 && http(j).route === '/v1/signals');
    expect(refused?.entry).toMatchObject({ service: 'ingest', level: 'warn', http: { method: 'POST' } });
    const accepted = json.find((j) => http(j).status === 202 && http(j).route === '/v1/signals');
    expect(accepted?.entry).toMatchObject({ actor: 'admin', request_id: expect.any(String), trace_id: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it('names the incident a request was about', () => {
    const about = serviceLogLines()
      .filter((l) => l.file.startsWith('ingest') && l.line.includes(INCIDENT))
      .map((l) => JSON.parse(l.line) as Record<string, unknown>);
    expect(about).toEqual(expect.arrayContaining([expect.objectContaining({ incident_id: INCIDENT, http: expect.objectContaining({ route: '/v1/incidents/:id' }) })]));
  });
});
