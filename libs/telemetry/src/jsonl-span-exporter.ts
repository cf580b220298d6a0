import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { type ExportResult, ExportResultCode, hrTimeToMilliseconds, hrTimeToTimeStamp } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';

/** One line of INCIDENT_TRACE_FILE. */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  service: string;
  start: string;
  durationMs: number;
  status: { code: string; message?: string };
  attributes: Record<string, unknown>;
  links: { traceId: string; spanId: string }[];
}

export function spanRecord(span: ReadableSpan): SpanRecord {
  const ctx = span.spanContext();
  const parent = span.parentSpanContext?.spanId;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: span.name,
    kind: SpanKind[span.kind],
    service: String(span.resource.attributes['service.name'] ?? 'unknown'),
    start: hrTimeToTimeStamp(span.startTime),
    durationMs: Math.round(hrTimeToMilliseconds(span.duration) * 1000) / 1000,
    status: { code: SpanStatusCode[span.status.code], ...(span.status.message ? { message: span.status.message } : {}) },
    attributes: { ...span.attributes },
    links: span.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId })),
  };
}

/**
 * Appends each exported batch to a file as JSON lines: what the end-to-end tests read to follow a
 * trace across the services without a collector. One synchronous append per batch, so a batch's
 * lines are never interleaved with another writer's.
 */
export class JsonlSpanExporter implements SpanExporter {
  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    try {
      if (spans.length > 0) appendFileSync(this.path, spans.map((s) => JSON.stringify(spanRecord(s))).join('\n') + '\n');
      done({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      done({ code: ExportResultCode.FAILED, error: error as Error });
    }
  }

  async shutdown(): Promise<void> {
    // Nothing held open: every batch is appended and closed at once.
  }

  async forceFlush(): Promise<void> {
    // Same: nothing is buffered here (the batch processor buffers).
  }
}
