import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import type { EventMetadata } from './types';

/** prev_hash of a stream's first event: the chain has to start from something fixed. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields the chain protects: everything an event says, nothing the database assigns. */
export interface ChainedFields {
  id: string;
  streamId: string;
  streamVersion: number;
  type: string;
  schemaVersion: number;
  occurredAt: Date;
  payload: Record<string, unknown>;
  metadata: EventMetadata;
}

/**
 * canonicalJson({ id, metadata, occurredAt, payload, schemaVersion, streamId, streamVersion, type })
 * written out by hand with the keys already in sorted order, so that the payload and metadata
 * text (which is also what gets stored) is serialised once per append, not twice.
 * hash-chain.spec.ts pins it to the generic canonicalJson.
 */
export function canonicalEvent(
  fields: ChainedFields,
  payloadJson = canonicalJson(fields.payload),
  metadataJson = canonicalJson(fields.metadata),
): string {
  return canonicalEventText(
    fields,
    fields.occurredAt.toISOString(),
    payloadJson,
    metadataJson,
  );
}

/** The same, from parts already serialised (the append hot path has them all at hand). */
export function canonicalEventText(
  fields: Omit<ChainedFields, 'occurredAt' | 'payload' | 'metadata'>,
  occurredAtIso: string,
  payloadJson: string,
  metadataJson: string,
): string {
  return (
    `{"id":${JSON.stringify(fields.id)},"metadata":${metadataJson},"occurredAt":"${occurredAtIso}",` +
    `"payload":${payloadJson},"schemaVersion":${canonicalJson(fields.schemaVersion)},` +
    `"streamId":${JSON.stringify(fields.streamId)},"streamVersion":${canonicalJson(fields.streamVersion)},` +
    `"type":${JSON.stringify(fields.type)}}`
  );
}

/** sha256(prev_hash || canonical event), hex: each event commits to its whole stream before it. */
export function chainHash(prevHash: string, canonical: string): string {
  // One-shot hash(): a createHash() object per event cost more than the hashing itself.
  return hash('sha256', prevHash + canonical, 'hex');
}

export function eventHash(prevHash: string, fields: ChainedFields): string {
  return chainHash(prevHash, canonicalEvent(fields));
}
