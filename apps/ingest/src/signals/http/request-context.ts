import { randomUUID } from 'node:crypto';
import type { AuthenticatedRequest } from '@incident/service-runtime';
import { activeTraceContext } from '@incident/telemetry';
import type { NextFunction, Response } from 'express';
import {
  type RecordingContext,
  traceContext,
} from '../recording/signal-events';

export const REQUEST_ID_HEADER = 'x-request-id';
// A caller's request id is kept if it looks like one, so its logs and ours correlate.
const REQUEST_ID = /^[\w.:-]{8,128}$/;

type WithRequestId = AuthenticatedRequest & { requestId?: string };

/** Gives every request an id (the caller's X-Request-Id, or a new one) and echoes it back. */
export function requestIdMiddleware(
  req: WithRequestId,
  res: Response,
  next: NextFunction,
): void {
  const given = req.headers[REQUEST_ID_HEADER];
  req.requestId =
    typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', req.requestId);
  next();
}

/** Who sent the request and which trace it belongs to, for the events' metadata. */
export function recordingContext(
  req: WithRequestId,
  receivedAt: Date,
): RecordingContext {
  return {
    receivedAt,
    // The guard ran before any handler and put the key's name here; never the key itself.
    actor: req.principal?.name ?? 'anonymous',
    correlationId: req.requestId ?? randomUUID(),
    // With tracing on, the request's server span (a child of the caller's traceparent, or the
    // root of a new trace when there was none); with it off, the caller's own trace context.
    ...(activeTraceContext().traceparent
      ? activeTraceContext()
      : traceContext(req.headers['traceparent'], req.headers['tracestate'])),
  };
}
