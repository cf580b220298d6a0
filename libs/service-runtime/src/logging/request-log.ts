import { currentLogFields, incidentIdOfPath } from '@incident/telemetry';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { Counter, Histogram, type Registry } from 'prom-client';

// Probes and scrapes: every few seconds from every kubelet and Prometheus, nothing to learn.
const QUIET = /^\/(healthz|readyz|metrics)$/;

/** HTTP traffic of a service on its /metrics: what the error-rate alert divides. */
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly seconds: Histogram<'method' | 'route'>;

  constructor(registry: Registry) {
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route (the matched route pattern, "unmatched" otherwise) and status code; probes and scrapes excluded',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    });
    this.seconds = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer an HTTP request, by method and route',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  observe(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.seconds.observe({ method, route }, seconds);
  }
}

/**
 * One log line and one metrics observation per answered request. Logged: method, path (never the
 * query string nor any header), route, status, duration, request id, the key's name, and the
 * trace and incident it belongs to. 5xx are errors, 4xx warnings.
 */
export function requestObserver(logger: Logger, metrics: HttpMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (QUIET.test(req.path)) return next();
    const started = process.hrtime.bigint();
    // Taken now: the HTTP server span is active here, not necessarily when 'finish' fires.
    const fields = { ...currentLogFields(), incident_id: incidentIdOfPath(req.path) };
    res.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeOf(req);
      metrics.observe(req.method, route, res.statusCode, seconds);
      const level = res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info';
      const requestId = res.getHeader('x-request-id');
      const actor = (req as Request & { principal?: { name: string } }).principal?.name;
      logger[level](
        {
          ...fields,
          ...(typeof requestId === 'string' ? { request_id: requestId } : {}),
          ...(actor ? { actor } : {}),
          http: { method: req.method, path: req.path, route, status: res.statusCode, duration_ms: Math.round(seconds * 1e4) / 10 },
        },
        `${req.method} ${req.path} ${res.statusCode}`,
      );
    });
    next();
  };
}

/** The route pattern express matched (bounded label values), not the path with its ids. */
function routeOf(req: Request): string {
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  return typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
}
