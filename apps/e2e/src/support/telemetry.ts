import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { stack } from './stack';

/** A line of a service's INCIDENT_TRACE_FILE (libs/telemetry's SpanRecord). */
export interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: string;
  service: string;
  attributes: Record<string, unknown>;
}

/**
 * A reader of one trace's spans across every service's trace file (traces-<service>.jsonl). Each
 * call reads only what the files gained since the last one: the files of a whole e2e run grow
 * large, and a spec polls until the spans it waits for have been flushed.
 */
export function traceReader(traceId: string): () => Span[] {
  const offsets = new Map<string, number>();
  const spans: Span[] = [];
  return () => {
    const { logDir } = stack();
    for (const file of readdirSync(logDir).filter((f) => /^traces-.*\.jsonl$/.test(f))) {
      const path = join(logDir, file);
      const from = offsets.get(file) ?? 0;
      const size = statSync(path).size;
      if (size <= from) continue;
      const buffer = Buffer.alloc(size - from);
      const fd = openSync(path, 'r');
      try {
        readSync(fd, buffer, 0, buffer.length, from);
      } finally {
        closeSync(fd);
      }
      // Only whole lines: a batch being appended right now is read next time.
      const text = buffer.toString('utf8');
      const end = text.lastIndexOf('\n') + 1;
      offsets.set(file, from + Buffer.byteLength(text.slice(0, end)));
      for (const line of text.slice(0, end).split('\n')) {
        if (line.includes(traceId)) {
          const span = JSON.parse(line) as Span;
          if (span.traceId === traceId) spans.push(span);
        }
      }
    }
    return [...spans];
  };
}

/** The trace id of a W3C traceparent. */
export function traceIdOf(traceparent: unknown): string | undefined {
  return typeof traceparent === 'string' ? /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent)?.[1] : undefined;
}

/** Rows of the e2e schema's log, read as the admin (to prove what was stored). */
export async function queryRows<T>(sql: string, params: unknown[]): Promise<T[]> {
  const s = stack();
  const client = new Client({ connectionString: s.adminUrl });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${s.schema}"`);
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Every line every service wrote to its log (global setup's and restarted processes'). */
export function serviceLogLines(): { file: string; line: string }[] {
  const { logDir } = stack();
  if (!existsSync(logDir)) return [];
  return readdirSync(logDir)
    .filter((f) => f.endsWith('.log'))
    .flatMap((file) => readFileSync(join(logDir, file), 'utf8').split('\n').filter(Boolean).map((line) => ({ file, line })));
}

/** A service's /metrics, as text. */
export async function metricsOf(service: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${stack().ports[service]}/metrics`);
  if (res.status !== 200) throw new Error(`${service} /metrics: ${res.status}`);
  return res.text();
}
