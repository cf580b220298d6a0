import { Streams } from '@incident/contracts';
import { type IdempotentConsumer, toKafkaMessage } from '@incident/messaging';
import { InstrumentedEventStore } from '@incident/service-runtime';
import { eventually, type ScratchEventStore, uniqueName } from '@incident/testing';
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { Kafka, Producer } from 'kafkajs';
import { classifiedSignal, incidentRows, recordClassified, replicaDeps, startReplica } from '../int-support/correlation-fixture';
import { type CorrelationIntEnv, type CorrelationTopics, correlationIntEnv } from '../int-support/correlation-int-env';
import { ResolveTimerPoller } from './resolve-timer-poller';

const MINUTE = 60_000;
const TRACE = '0af7651916cd43dd8448eb211c80319c';
/** The span the signal was classified in: the opening, and so its quiet-period timer, record its trace. */
const CLASSIFIED_IN = `00-${TRACE}-b7ad6b7169203331-01`;

// Real PostgreSQL and Kafka; the poller appends through the service's event store (which stamps
// the active span), spans go to an in-memory exporter.
describe('correlation: a quiet-period timer fires in a span of the incident\'s trace (real PostgreSQL and Kafka)', () => {
  let env: CorrelationIntEnv;
  let log: ScratchEventStore;
  let kafka: Kafka;
  let producer: Producer;
  let topics: CorrelationTopics;
  let consumer: IdempotentConsumer | undefined;
  const exporter = new InMemorySpanExporter();

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    env = await correlationIntEnv('correlation-timer-trace', { partitions: 1 });
    ({ log, kafka, producer, topics } = env);
  });

  afterAll(async () => {
    await consumer?.stop();
    await env?.dispose();
    trace.disable();
    context.disable();
  });

  it('continues the trace its ResolveTimerScheduled recorded, and the resolution records the timer span', async () => {
    const source = `quiet-trace-${Date.now().toString(36)}`;
    const opened = Date.now() - 3 * 60 * MINUTE;
    const stored = await recordClassified(log, [classifiedSignal(source, { at: new Date(opened).toISOString(), level: 'FATAL', message: 'Error: ECONNREFUSED 127.0.0.1:5432' })], { traceparent: CLASSIFIED_IN });
    await producer.send({ topic: topics.classifications, acks: -1, messages: stored.map(toKafkaMessage) });
    consumer = await startReplica(kafka, log, topics, uniqueName('correlation'));
    const [row] = await eventually(() => incidentRows(log, source), (rows) => rows[0]?.stream_version === 3);
    const scheduled = (await log.store.readStream(Streams.incident(row.incident_id)))[2];
    expect({ type: scheduled.type, traceparent: scheduled.metadata['traceparent'] }).toEqual({ type: 'ResolveTimerScheduled', traceparent: CLASSIFIED_IN });

    const deps = { ...replicaDeps(log), store: new InstrumentedEventStore(log.dataSource) };
    exporter.reset();
    expect(await new ResolveTimerPoller(log.dataSource, deps, { intervalMs: 50, batch: 10 }).tick()).toContain(row.incident_id);

    const fired = exporter.getFinishedSpans().filter((s) => s.name === 'fire resolve timer' && s.attributes['incident.id'] === row.incident_id);
    expect(fired).toHaveLength(1);
    expect(fired[0].spanContext().traceId).toBe(TRACE);
    expect(fired[0].parentSpanContext?.spanId).toBe('b7ad6b7169203331');
    const resolved = (await log.store.readStream(Streams.incident(row.incident_id)))[3];
    expect({ type: resolved.type, traceparent: resolved.metadata['traceparent'] }).toEqual({ type: 'IncidentResolved', traceparent: `00-${TRACE}-${fired[0].spanContext().spanId}-01` });
  });
});
