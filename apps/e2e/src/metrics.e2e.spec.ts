import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { api, sendSignals, uniqueSource } from './support/stack';
import { metricsOf } from './support/telemetry';

// Issue 6 acceptance (metrics): `curl /metrics` on each service shows what the README's
// Operations section lists, and every metric an alerting rule uses is one a service exports.
const SERVICES = ['ingest', 'classifier', 'correlation', 'remediation', 'postmortem'];
const EVERY_SERVICE = ['http_requests_total', 'http_request_duration_seconds', 'event_log_events_appended_total', 'process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes'];
const CONSUMERS = ['messaging_consumer_group_lag', 'messaging_dead_letters_total'];
const OWN: Record<string, string[]> = {
  ingest: ['ingest_signals_total', 'ingest_requests_rejected_total', 'ingest_requests_refused_total', 'ingest_relay_lag_events', 'ingest_relay_holds_lock', 'ingest_relay_failing', 'incidents_open'],
  classifier: ['classifier_signals_classified_total'],
  correlation: ['correlation_decisions_total'],
  remediation: ['remediation_acknowledgement_deadlines_missed_total', 'remediation_outcomes_total', 'remediation_decisions_total'],
  postmortem: [],
};

/** Metric names a /metrics text declares (# TYPE lines), whether or not they have samples yet. */
function declared(text: string): Set<string> {
  return new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
}

describe('/metrics on every service', () => {
  beforeAll(async () => {
    // Something to count: a signal accepted and one refused.
    const source = uniqueSource('metrics');
    await sendSignals([{ source, message: 'Error: connect ECONNREFUSED 10.0.0.1:443', level: 'ERROR' }]);
    await api('POST', '/v1/signals', { json: [{ source }] });
  });

  it.each(SERVICES)('%s exports the platform metrics, its own, and Node process metrics', async (service) => {
    const names = declared(await metricsOf(service));
    const expected = [...EVERY_SERVICE, ...(service === 'ingest' ? [] : CONSUMERS), ...OWN[service]];
    expect(expected.filter((n) => !names.has(n))).toEqual([]);
  });

  it('counts accepted and rejected signals by reason, and open incidents by severity', async () => {
    const text = await metricsOf('ingest');
    expect(text).toMatch(/^ingest_signals_total\{channel="http-json",outcome="stored",service="ingest"\} [1-9]/m);
    expect(text).toMatch(/^ingest_requests_rejected_total\{channel="http-json",reason="invalid",service="ingest"\} [1-9]/m);
    for (const severity of ['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']) expect(text).toMatch(new RegExp(`^incidents_open\\{severity="${severity}",service="ingest"\\} \\d+`, 'm'));
    expect(text).toMatch(/^ingest_relay_lag_events\{service="ingest"\} \d+/m);
  });

  it('exports every metric the alerting rules use', async () => {
    const exported = new Set<string>();
    for (const service of SERVICES) for (const name of declared(await metricsOf(service))) exported.add(name);
    const rules = parseAllDocuments(readFileSync(join(__dirname, '../../../deploy/monitoring/prometheus-rules.yaml'), 'utf8')).map((d) => d.toJS());
    const used = new Set<string>();
    for (const doc of rules) for (const group of doc.spec.groups) for (const rule of group.rules) for (const m of String(rule.expr).matchAll(/\b([a-z_:][a-z0-9_:]*)\s*(?:\{|\[)/g)) used.add(m[1]);
    const base = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
    expect([...used].filter((n) => !exported.has(n) && !exported.has(base(n)))).toEqual([]);
    expect(used.size).toBeGreaterThan(3);
  });
});
