import { InstrumentedEventStore } from '@incident/service-runtime';
import { traceIdOf } from '@incident/telemetry';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createScratchEventStore, type ScratchEventStore } from '@incident/testing';
import { draftOnIncidentEvent } from '../draft-postmortem/draft-postmortem';
import { IncidentOnLog, minutesAfter, postmortemStream } from '../int-support/postmortem-fixture';
import { PostmortemDueReadModel } from '../log/postmortem-due';
import type { PostmortemDeps } from '../log/postmortem-log';
import { OverduePoller } from './overdue-poller';

const HOUR = 60 * 60_000;
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
/** The span of the consumer that handled the resolution (and so drafted the postmortem). */
const RESOLVED_IN = `00-${TRACE}-00f067aa0ba902b7-01`;

// Real PostgreSQL (a scratch schema), the service's event store (which stamps the active span on
// what it appends), and an in-memory span exporter in place of OTLP.
describe('postmortem: a draft falling overdue is a span of the incident\'s trace (real PostgreSQL)', () => {
  let log: ScratchEventStore;
  let deps: PostmortemDeps;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    log = await createScratchEventStore();
    deps = { store: new InstrumentedEventStore(log.dataSource), due: new PostmortemDueReadModel(log.schema) };
  });

  afterAll(async () => {
    await log?.dispose();
    trace.disable();
    context.disable();
  });

  it('fires the due time in a span continuing the draft\'s trace, records the flag under that span, and records nothing for a poll with nothing due', async () => {
    const resolvedAt = new Date(Date.now() - 30 * HOUR).toISOString();
    const incident = new IncidentOnLog(log);
    await incident.opened(minutesAfter(resolvedAt, -20));
    const [resolved] = await incident.respond(resolvedAt, 'alice', { kind: 'ResolveIncident', reason: 'fixed' });
    const envelope = { ...resolved, occurredAt: resolved.occurredAt.toISOString(), recordedAt: resolved.recordedAt.toISOString(), metadata: { ...resolved.metadata, traceparent: RESOLVED_IN } };
    await log.dataSource.transaction((tx) => draftOnIncidentEvent(tx, deps, envelope));
    const [drafted] = await postmortemStream(log, incident.id);
    expect(drafted.metadata['traceparent']).toBe(RESOLVED_IN);

    const poller = new OverduePoller(log.dataSource, deps, { intervalMs: 50, batch: 10 });
    exporter.reset();
    expect(await poller.tick()).toContain(incident.id);
    const fired = exporter.getFinishedSpans().filter((s) => s.name === 'fire postmortem-due timer' && s.attributes['incident.id'] === incident.id);
    expect(fired).toHaveLength(1);
    expect(fired[0].spanContext().traceId).toBe(TRACE);
    expect(fired[0].parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(fired[0].attributes).toMatchObject({ 'incident.timer.kind': 'postmortem-due', 'incident.timer.fired_at': expect.any(String) });

    const [, overdue] = await postmortemStream(log, incident.id);
    expect(overdue.type).toBe('PostmortemOverdue');
    expect(overdue.metadata['traceparent']).toBe(`00-${TRACE}-${fired[0].spanContext().spanId}-01`);
    expect(traceIdOf(overdue.metadata['traceparent'])).toBe(TRACE);

    exporter.reset();
    expect(await poller.tick()).not.toContain(incident.id);
    expect(exporter.getFinishedSpans().filter((s) => s.name.startsWith('fire '))).toEqual([]);
  });
});
