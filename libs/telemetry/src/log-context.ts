import { AsyncLocalStorage } from 'node:async_hooks';
import { context, isSpanContextValid, trace } from '@opentelemetry/api';

/** Fields every log line written while a piece of work runs carries (snake_case, as logged). */
export interface LogFields {
  event_id?: string;
  incident_id?: string;
  stream_id?: string;
  request_id?: string;
}

// Its own AsyncLocalStorage rather than OpenTelemetry's context: these fields must reach the
// logs when tracing is off too, and then OpenTelemetry has no context manager at all.
const storage = new AsyncLocalStorage<LogFields>();

/** Runs `fn` with `fields` added to those of the work it runs inside. */
export function withLogFields<T>(fields: LogFields, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...definedOnly(fields) }, fn);
}

/** The fields of the current work, plus the active span's trace and span ids when tracing is on. */
export function currentLogFields(): LogFields & { trace_id?: string; span_id?: string } {
  const span = trace.getSpan(context.active())?.spanContext();
  const traced = span && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
  return { ...storage.getStore(), ...traced };
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * The incident a stream belongs to: incident, remediation and postmortem streams are named
 * `<kind>-<incident uuid>` (contracts' Streams). Other streams (signals, fingerprints) have none.
 */
export function incidentIdOfStream(streamId: string | undefined): string | undefined {
  if (!streamId) return undefined;
  const m = /^(?:incident|remediation|postmortem)-(.+)$/.exec(streamId);
  return m && UUID.test(m[1]) && m[1].length === 36 ? m[1].toLowerCase() : undefined;
}

/** The incident id in a request path such as /v1/incidents/{id}/acknowledge. */
export function incidentIdOfPath(path: string): string | undefined {
  const m = /\/incidents\/([0-9a-f-]{36})(?:\/|$)/i.exec(path);
  return m && UUID.test(m[1]) ? m[1].toLowerCase() : undefined;
}

function definedOnly(fields: LogFields): LogFields {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as LogFields;
}
