import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@incident/event-store';
import type { AuthenticatedRequest } from '@incident/service-runtime';

// A caller's request id or trace context is recorded only if it looks like one: it lands in the
// append-only log, where a 10 kB header would stay forever.
const REQUEST_ID = /^[\w.:-]{8,128}$/;
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** Who issues a command, when, and the metadata its events carry. */
export interface Issued {
  actor: string;
  /** The API's clock: the only one a responder command reads, recorded in its events. */
  at: string;
  metadata: EventMetadata;
}

export function issuedBy(req: AuthenticatedRequest, now: Date = new Date()): Issued {
  // Scoped() puts the guard in front of every command, and the guard sets the principal; a
  // command without one would be recorded without an author, so it fails instead.
  const actor = req.principal?.name;
  if (!actor) throw new Error('responder command without an authenticated principal: is the API-key guard installed?');
  const requestId = header(req, 'x-request-id');
  const traceparent = header(req, 'traceparent')?.trim().toLowerCase();
  const metadata: EventMetadata = {
    actor,
    correlationId: requestId && REQUEST_ID.test(requestId) ? requestId : randomUUID(),
    ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}),
  };
  return { actor, at: now.toISOString(), metadata };
}

function header(req: AuthenticatedRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' ? value : undefined;
}
