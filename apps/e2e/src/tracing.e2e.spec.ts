import { api, eventually, incidentsOf, uniqueSource } from './support/stack';
import { queryRows, type Span, traceIdOf, traceReader } from './support/telemetry';

// Issue 6 acceptance (tracing): the stack runs with INCIDENT_TRACE_FILE (a JSON-lines span file
// per service, global setup); one signal, sent without any trace context, is followed in ONE
// trace from POST /v1/signals through the relay, the classifier, correlation, and the remediation
// and postmortem services that consume the incident it opened. The trace context travels in the
// event log's metadata and the Kafka headers.
const SERVICES = ['ingest', 'classifier', 'correlation', 'remediation', 'postmortem'];

describe('one trace per signal, across the services', () => {
  it('spans ingest, classifier, correlation, remediation and postmortem under the request that sent it', async () => {
    const source = uniqueSource('traced');
    const res = await api('POST', '/v1/signals', {
      json: { id: `${source}-1`, source, component: 'agent:code-review', level: 'FATAL', message: 'Rate limit exceeded', errorCode: 429 },
    });
    expect(res.status).toBe(202);
    const [incident] = await eventually(async () => {
      const found = await incidentsOf(source);
      return found.length > 0 ? found : undefined;
    }, 60_000, 'the incident to open');

    // The request had no traceparent: ingest recorded its own server span's, and every decision
    // made because of the signal recorded a span of that same trace.
    const [received] = await queryRows<{ traceparent: string }>(
      `SELECT metadata->>'traceparent' AS traceparent FROM events WHERE type = 'SignalReceived' AND payload->'signal'->>'source' = $1`,
      [source],
    );
    const traceId = traceIdOf(received?.traceparent);
    expect(traceId).toBeDefined();
    const decisions = await queryRows<{ type: string; traceparent: string }>(
      `SELECT type, metadata->>'traceparent' AS traceparent FROM events WHERE stream_id = $1 AND type = 'IncidentOpened'`,
      [`incident-${incident.id}`],
    );
    expect(decisions.map((d) => traceIdOf(d.traceparent))).toEqual([traceId]);

    const read = traceReader(traceId as string);
    const spans = await eventually(async () => {
      const found = read();
      const services = new Set(found.map((s) => s.service));
      return SERVICES.every((s) => services.has(s)) && isOneTree(found) ? found : undefined;
    }, 60_000, `spans of trace ${traceId} from ${SERVICES.join(', ')}, forming one tree`);

    const root = spans.filter((s) => !s.parentSpanId);
    expect(root).toHaveLength(1);
    expect(root[0]).toMatchObject({ service: 'ingest', kind: 'SERVER', name: 'POST /v1/signals' });
    const names = (service: string) => new Set(spans.filter((s) => s.service === service).map((s) => s.name));
    expect([...names('ingest')]).toEqual(expect.arrayContaining(['send incidents.signals.v1']));
    expect([...names('classifier')]).toEqual(expect.arrayContaining(['process incidents.signals.v1']));
    expect([...names('correlation')]).toEqual(expect.arrayContaining(['process incidents.classifications.v1']));
    expect([...names('remediation')]).toEqual(expect.arrayContaining(['process incidents.incidents.v1']));
    expect([...names('postmortem')]).toEqual(expect.arrayContaining(['process incidents.incidents.v1']));
    // The database work of the request and of the decisions is in the trace too.
    expect(spans.some((s) => s.service === 'ingest' && s.name.startsWith('pg.query'))).toBe(true);
  });
});

/** Every span's parent is a span of the same trace: one tree, nothing hanging off an unknown span. */
function isOneTree(spans: readonly Span[]): boolean {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => !s.parentSpanId).length === 1 && spans.every((s) => !s.parentSpanId || ids.has(s.parentSpanId));
}
