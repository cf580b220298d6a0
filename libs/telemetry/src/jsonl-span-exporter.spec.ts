import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonlSpanExporter, type SpanRecord } from './jsonl-span-exporter';

describe('INCIDENT_TRACE_FILE', () => {
  it('holds one JSON line per span, with its trace, parent and service', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'spans-')), 'nested', 'classifier.jsonl');
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: new JsonlSpanExporter(file) })] });
    const tracer = provider.getTracer('test');
    const parent = tracer.startSpan('POST /v1/signals', { kind: SpanKind.SERVER });
    const child = tracer.startSpan('process incidents.signals.v1', { kind: SpanKind.CONSUMER, attributes: { 'messaging.destination.name': 'incidents.signals.v1' } }, trace.setSpan(ROOT_CONTEXT, parent));
    child.end();
    parent.end();
    await provider.shutdown();
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SpanRecord);
    expect(lines).toHaveLength(2);
    const [c, p] = lines;
    expect(c).toMatchObject({ name: 'process incidents.signals.v1', kind: 'CONSUMER', traceId: p.traceId, parentSpanId: p.spanId, attributes: { 'messaging.destination.name': 'incidents.signals.v1' }, status: { code: 'UNSET' } });
    expect(p.parentSpanId).toBeUndefined();
    expect(typeof c.service).toBe('string');
    expect(Date.parse(p.start)).not.toBeNaN();
  });
});
