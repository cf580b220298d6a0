import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What global setup started; read by every spec. */
export interface Stack {
  baseUrl: string;
  adminKey: string;
  readerKey: string;
  schema: string;
  adminUrl: string;
  logDir: string;
  env: Record<string, string>;
  ports: Record<string, number>;
  pids: Record<string, number>;
  /** The webhook remediation runs its steps against (support/webhook-recorder.mjs). */
  webhook: { url: string; hookUrl: string; secret: string; failingTargetPrefix: string; maxAttempts: number };
}

export function stack(): Stack {
  return JSON.parse(readFileSync(join(__dirname, '../../../../.cache/e2e/stack.json'), 'utf8')) as Stack;
}

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small client for the public API; `key: null` sends no credentials. */
export async function api<T = unknown>(
  method: string,
  path: string,
  opts: { key?: string | null; json?: unknown; text?: string; contentType?: string; accept?: string } = {},
): Promise<ApiResponse<T>> {
  const s = stack();
  const headers: Record<string, string> = {};
  const key = opts.key === undefined ? s.adminKey : opts.key;
  if (key) headers['authorization'] = `Bearer ${key}`;
  let body: string | undefined;
  if (opts.json !== undefined) {
    body = JSON.stringify(opts.json);
    headers['content-type'] = opts.contentType ?? 'application/json';
  } else if (opts.text !== undefined) {
    body = opts.text;
    headers['content-type'] = opts.contentType ?? 'text/plain';
  }
  if (opts.accept) headers['accept'] = opts.accept;
  const res = await fetch(`${s.baseUrl}${path}`, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // markdown or empty bodies stay text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** Polls until `probe` returns a value (not undefined) or the time is up. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function uniqueSource(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface IncidentSummary {
  id: string;
  title: string;
  type: string;
  source: string;
  status: string;
  severity: string;
  signalCount: number;
}

/** The incidents of one source (the read model), optionally of one type. */
export async function incidentsOf(source: string, type?: string): Promise<IncidentSummary[]> {
  const query = new URLSearchParams({ service: source, ...(type ? { type } : {}), limit: '200' });
  const res = await api<{ items: IncidentSummary[] }>('GET', `/v1/incidents?${query}`);
  if (res.status !== 200) throw new Error(`GET /v1/incidents: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

export interface IncidentState {
  id: string;
  status: string;
  severity: string;
  version: number;
  impact: { signalCount: number; affectedUsers: number; errorRate?: number; peakErrorRate?: number };
}

export async function incidentState(id: string, query = ''): Promise<ApiResponse<IncidentState>> {
  return api<IncidentState>('GET', `/v1/incidents/${id}${query}`);
}

export async function sendSignals(signals: unknown[]): Promise<{ accepted: number; duplicates: number }> {
  const res = await api<{ accepted: number; duplicates: number }>('POST', '/v1/signals', { json: signals });
  if (res.status !== 202) throw new Error(`POST /v1/signals: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
