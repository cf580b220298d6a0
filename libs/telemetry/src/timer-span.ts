import { type Attributes, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { contextFromTraceparent } from './trace-context';
import { withLogFields } from './log-context';

const tracer = trace.getTracer('@incident/timers');

/** What a fired timer is about, for its span and the log lines written while it fires. */
export interface FiredTimer {
  /** `resolve`, `acknowledgement`, `step`, `escalation-webhook`, `postmortem-due`. */
  kind: string;
  incidentId: string;
  /**
   * The metadata of the event that set the timer (ResolveTimerScheduled, the deadline, the
   * remediation run, the draft): its `traceparent` and `tracestate` are the incident's trace.
   */
  recorded?: Readonly<Record<string, unknown>>;
  firedAt: Date;
  attributes?: Attributes;
}

/**
 * Runs the work of one fired timer in a span `fire <kind> timer` that continues the trace its
 * timer's event recorded, so a trace shows the incident resolving (or escalating, or falling
 * overdue) under the work that set the timer, and what the work appends records this span
 * (InstrumentedEventStore). A timer whose event carries no trace context gets a trace of its own.
 * One span per timer fired, not per poll: a poll that finds nothing due records nothing.
 */
export function inTimerSpan<T>(timer: FiredTimer, fn: () => Promise<T>): Promise<T> {
  const parent = contextFromTraceparent(timer.recorded?.['traceparent'], timer.recorded?.['tracestate']);
  const attributes: Attributes = {
    'incident.id': timer.incidentId,
    'incident.timer.kind': timer.kind,
    'incident.timer.fired_at': timer.firedAt.toISOString(),
    ...timer.attributes,
  };
  return withLogFields({ incident_id: timer.incidentId }, () =>
    tracer.startActiveSpan(`fire ${timer.kind} timer`, { kind: SpanKind.INTERNAL, attributes }, parent, async (span) => {
      try {
        return await fn();
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    }),
  );
}
