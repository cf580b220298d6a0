import { randomUUID } from 'node:crypto';
import type { EventMetadata } from '@incident/event-store';
import type { AuthenticatedRequest } from '@incident/service-runtime';

const REQUEST_ID = /^[\w.:-]{8,128}$/;
const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** Who issues a command (the API key's name), when (this server's clock), and the metadata its events carry. */
export function issuedBy(req: AuthenticatedRequest, now: Date = new Date()): { actor: string; at: string; metadata: EventMetadata } {
  const actor = req.principal?.name;
  if (!actor) throw new Error('command without an authenticated principal: is the API-key guard installed?');
  const requestId = req.headers['x-request-id'];
  const traceparent = typeof req.headers['traceparent'] === 'string' ? req.headers['traceparent'].trim().toLowerCase() : undefined;
  const metadata: EventMetadata = {
    actor,
    // Only ids that look like ids: they land in the append-only log for good.
    correlationId: typeof requestId === 'string' && REQUEST_ID.test(requestId) ? requestId : randomUUID(),
    ...(traceparent && TRACEPARENT.test(traceparent) ? { traceparent } : {}),
  };
  return { actor, at: now.toISOString(), metadata };
}
