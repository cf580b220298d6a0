import { createHmac, timingSafeEqual } from 'node:crypto';

// The outgoing webhooks' signing scheme (remediation steps, escalations) is part of the contract
// with their receivers, so it lives here: the sender and anything that checks a delivery (a
// receiver's own code, the end-to-end tests) use the same two functions.

export const SIGNATURE_HEADER = 'x-incident-signature';
export const DELIVERY_HEADER = 'x-incident-delivery';
export const EVENT_HEADER = 'x-incident-event';

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes with the shared secret (GitHub's scheme). */
export function sign(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** What a receiver does: recompute over the raw body, compare in constant time. */
export function verifySignature(body: string, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
