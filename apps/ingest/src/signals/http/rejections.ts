import type { NextFunction, Request, Response } from 'express';
import type { IngestMetrics } from '../metrics';

const REASONS: Record<number, string> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'log_unavailable',
};

const CHANNELS: Record<string, string> = {
  '/v1/signals': 'http-json',
  '/v1/signals/logs': 'http-log',
  '/v1/signals/alertmanager': 'alertmanager',
  '/v1/traffic': 'traffic',
};

/** Why a request was refused, or undefined when it was not (or another 4xx: 404, 405...). */
export function rejectionReason(status: number): string | undefined {
  return REASONS[status] ?? (status >= 500 ? 'error' : undefined);
}

/**
 * Counts ingest_requests_rejected_total. Express middleware installed before the body parsers,
 * so that a body over the limit (413) or JSON that does not parse (400) is counted too.
 */
export function countRejections(metrics: IngestMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const channel = req.method === 'POST' ? CHANNELS[req.path.replace(/\/+$/, '')] : undefined;
    if (channel) {
      res.once('finish', () => {
        const reason = rejectionReason(res.statusCode);
        if (reason) metrics.rejected.inc({ channel, reason });
      });
    }
    next();
  };
}
