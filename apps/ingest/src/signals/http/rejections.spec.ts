import { EventEmitter } from 'node:events';
import type { NextFunction, Request, Response } from 'express';
import { Registry } from 'prom-client';
import { IngestMetrics } from '../metrics';
import { countRejections, rejectionReason } from './rejections';

describe('signals rejected, by reason', () => {
  it('names each refusal of the signal endpoints, and no success', () => {
    expect([400, 401, 403, 413, 415, 429, 503, 500].map(rejectionReason)).toEqual([
      'invalid', 'unauthenticated', 'forbidden', 'too_large', 'unsupported_media_type', 'rate_limited', 'log_unavailable', 'error',
    ]);
    expect([200, 202, 404].map(rejectionReason)).toEqual([undefined, undefined, undefined]);
  });

  it('counts a refused POST by channel once its answer is sent, and ignores other routes', async () => {
    const registry = new Registry();
    const observe = countRejections(new IngestMetrics(registry));
    const answer = (path: string, status: number, method = 'POST') => {
      const res = Object.assign(new EventEmitter(), { statusCode: status }) as unknown as Response;
      observe({ method, path } as Request, res, (() => undefined) as NextFunction);
      (res as unknown as EventEmitter).emit('finish');
    };
    answer('/v1/signals', 413);
    answer('/v1/signals/logs', 400);
    answer('/v1/signals', 202);
    answer('/v1/incidents', 400);
    answer('/v1/signals', 400, 'GET');
    const { values } = (await registry.getSingleMetric('ingest_requests_rejected_total')?.get()) ?? { values: [] };
    expect(values.map((v) => [v.labels, v.value])).toEqual([
      [{ channel: 'http-json', reason: 'too_large' }, 1],
      [{ channel: 'http-log', reason: 'invalid' }, 1],
    ]);
  });
});
