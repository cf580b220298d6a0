// Public surface of @incident/telemetry: the OpenTelemetry SDK start (src/tracing.ts of each
// service) and the context helpers the messaging, runtime and ingest code use (STYLE.md 10).
export { bootTracing, startTracing, shutdownTracing } from './start-tracing';
export { tracingSettings, TracingConfigError, type TracingSettings } from './tracing-settings';
export { JsonlSpanExporter, spanRecord, type SpanRecord } from './jsonl-span-exporter';
export {
  activeTraceContext,
  contextFromTraceparent,
  formatTraceparent,
  traceContextToRecord,
  traceIdOf,
  withMessageSpans,
  type TraceContextFields,
} from './trace-context';
export { currentLogFields, incidentIdOfPath, incidentIdOfStream, withLogFields, type LogFields } from './log-context';
export { inTimerSpan, type FiredTimer } from './timer-span';
