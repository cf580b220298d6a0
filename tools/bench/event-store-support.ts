// Measuring helpers for the event-store bench (event-store.bench.ts): workload shape, timing, CPU
// accounting and formatting. The raw ceiling is in event-store-raw.ts.
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import type { NewEvent } from '../../libs/event-store/src';
import { type BackendCpu, cpuBetween } from './server-cpu';

export const BATCH = 100;

/** A signal-shaped payload of about 300 bytes once serialised. */
export function payload(i: number): Record<string, unknown> {
  return {
    source: 'checkout-service',
    component: 'payment-gateway',
    level: 'ERROR',
    message: `upstream payment provider timed out after 3 retries (request ${i}); circuit breaker opened for 30s`,
    errorCode: 'ETIMEDOUT',
    durationMs: 1500 + (i % 1000),
    attributes: {
      region: 'eu-west-1',
      pod: `checkout-7f9c-${i % 50}`,
      attempt: 3,
      userId: `u-${i % 10_000}`,
    },
  };
}

export const METADATA = {
  correlationId: 'c0ffee00-0000-4000-8000-000000000001',
  actor: 'ingest',
};

export function batch(size: number, from: number): NewEvent[] {
  return Array.from({ length: size }, (_, k) => ({
    id: randomUUID(),
    type: 'SignalReceived',
    schemaVersion: 1,
    occurredAt: new Date(),
    payload: payload(from + k),
    metadata: METADATA,
  }));
}

/** A measured rate, and its CPU cost per row: this process's, and the database backends' when readable. */
export interface Rate {
  perSecond: number;
  cpuMicrosPerRow: number;
  serverMicrosPerRow?: number;
}

/** Reads the database's CPU use so far (see server-cpu.ts), or undefined when it cannot. */
export type ServerCpu = () => Promise<BackendCpu | undefined>;

/**
 * Alternates short slices of `a` and `b` (each `writers` loops in parallel) and returns the mean
 * rate of each: on a shared machine the load drifts, and interleaving exposes both to the same drift.
 */
export async function interleaved(
  ms: number,
  slices: number,
  writers: number,
  a: (writer: number) => Promise<number>,
  b: (writer: number) => Promise<number>,
  server?: ServerCpu,
): Promise<[Rate, Rate]> {
  const runs: [Rate[], Rate[]] = [[], []];
  for (let i = 0; i < slices; i++) {
    runs[0].push(await throughput(ms / slices, writers, a, server));
    runs[1].push(await throughput(ms / slices, writers, b, server));
  }
  const mean = (rates: Rate[], pick: (r: Rate) => number | undefined) => {
    const values = rates.map(pick);
    return values.some((v) => v === undefined)
      ? undefined
      : (values as number[]).reduce((sum, v) => sum + v, 0) / values.length;
  };
  const summary = (rates: Rate[]): Rate => ({
    perSecond: mean(rates, (r) => r.perSecond) ?? 0,
    cpuMicrosPerRow: mean(rates, (r) => r.cpuMicrosPerRow) ?? 0,
    serverMicrosPerRow: mean(rates, (r) => r.serverMicrosPerRow),
  });
  return [summary(runs[0]), summary(runs[1])];
}

/** Runs `writers` loops in parallel for `ms`; each call of `step` returns the rows it wrote. */
export async function throughput(
  ms: number,
  writers: number,
  step: (writer: number) => Promise<number>,
  server?: ServerCpu,
): Promise<Rate> {
  const serverAtStart = await server?.();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const deadline = started + ms;
  const counts = await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      let rows = 0;
      while (performance.now() < deadline) rows += await step(w);
      return rows;
    }),
  );
  const rows = counts.reduce((a, b) => a + b, 0);
  const measured = rate(rows, started, cpu);
  const serverAtEnd = await server?.();
  if (serverAtStart === undefined || serverAtEnd === undefined) return measured;
  return {
    ...measured,
    serverMicrosPerRow: cpuBetween(serverAtStart, serverAtEnd) / rows,
  };
}

export function rate(
  rows: number,
  started: number,
  cpu: NodeJS.CpuUsage,
): Rate {
  const used = process.cpuUsage(cpu);
  return {
    perSecond: rows / ((performance.now() - started) / 1000),
    cpuMicrosPerRow: (used.user + used.system) / rows,
  };
}

/** Adds the database's CPU per row to a measurement taken by `measure`. */
export async function withServerCpu<T extends Rate & { rows: number }>(
  server: ServerCpu,
  measure: () => Promise<T>,
): Promise<T> {
  const start = await server();
  const measured = await measure();
  const end = await server();
  if (start === undefined || end === undefined) return measured;
  return {
    ...measured,
    serverMicrosPerRow: cpuBetween(start, end) / measured.rows,
  };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

export const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
export const cpu = (r: Rate): string =>
  `CPU per row: node ${r.cpuMicrosPerRow.toFixed(1)} us` +
  (r.serverMicrosPerRow === undefined
    ? ''
    : ` + server ${r.serverMicrosPerRow.toFixed(1)} us = ${(r.cpuMicrosPerRow + r.serverMicrosPerRow).toFixed(1)} us`);

/** What the store's CPU per row (node and server) is as a share of the raw path's: comparable to the rate ratio. */
export const cpuRatio = (store: Rate, raw: Rate): string =>
  store.serverMicrosPerRow === undefined || raw.serverMicrosPerRow === undefined
    ? ''
    : `; by CPU per row ${Math.round((100 * (raw.cpuMicrosPerRow + raw.serverMicrosPerRow)) / (store.cpuMicrosPerRow + store.serverMicrosPerRow))}%`;
export const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} cores`;
export const rssMb = (): string =>
  `rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB, peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`;
