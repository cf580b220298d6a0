import { CanonicalJsonError, canonicalJson } from './canonical-json';
import { InvalidEventError } from './errors';
import type { EventMetadata, NewEvent } from './types';

/** A NewEvent checked and serialised once, before any round trip to the database. */
export interface PreparedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  occurredAt: Date;
  occurredAtIso: string;
  payload: Record<string, unknown>;
  metadata: EventMetadata;
  payloadJson: string;
  metadataJson: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function prepareEvents(
  streamId: string,
  events: readonly NewEvent[],
): PreparedEvent[] {
  if (typeof streamId !== 'string' || streamId.length === 0)
    throw new InvalidEventError('streamId must be a non-empty string');
  const seen = new Set<string>();
  // Events of one batch usually share one metadata object (same correlation, same actor).
  let lastMetadata: unknown;
  let lastMetadataJson = '';
  return events.map((event, index) => {
    const reused =
      event.metadata !== undefined && event.metadata === lastMetadata
        ? lastMetadataJson
        : undefined;
    const prepared = prepareEvent(event, `event ${index}`, reused);
    lastMetadata = event.metadata;
    lastMetadataJson = prepared.metadataJson;
    if (seen.has(prepared.id))
      throw new InvalidEventError(
        `event ${index}: id ${prepared.id} appears twice in one append`,
      );
    seen.add(prepared.id);
    return prepared;
  });
}

function prepareEvent(
  event: NewEvent,
  where: string,
  metadataJson?: string,
): PreparedEvent {
  if (typeof event.id !== 'string' || !UUID.test(event.id))
    throw new InvalidEventError(`${where}: id must be a uuid`);
  // Lower-cased because PostgreSQL prints uuids that way: the hash must match what verify reads back.
  const id = event.id.toLowerCase();
  if (typeof event.type !== 'string' || event.type.length === 0)
    throw new InvalidEventError(`${where}: type must be a non-empty string`);
  if (!Number.isInteger(event.schemaVersion) || event.schemaVersion < 1) {
    throw new InvalidEventError(
      `${where}: schemaVersion must be a positive integer`,
    );
  }
  if (
    !(event.occurredAt instanceof Date) ||
    Number.isNaN(event.occurredAt.getTime())
  ) {
    throw new InvalidEventError(`${where}: occurredAt must be a valid Date`);
  }
  if (!isRecord(event.payload))
    throw new InvalidEventError(`${where}: payload must be a JSON object`);
  const metadata = event.metadata ?? {};
  if (!isRecord(metadata))
    throw new InvalidEventError(`${where}: metadata must be a JSON object`);
  return {
    id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    occurredAtIso: event.occurredAt.toISOString(),
    payload: event.payload,
    metadata,
    payloadJson: serialise(event.payload, `${where} (${id}) payload`),
    metadataJson:
      metadataJson ?? serialise(metadata, `${where} (${id}) metadata`),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function serialise(value: unknown, where: string): string {
  let json: string;
  try {
    json = canonicalJson(value);
  } catch (error) {
    if (error instanceof CanonicalJsonError)
      throw new InvalidEventError(`${where}: ${error.message}`);
    throw error;
  }
  // toJSON could have turned the object into something else (a Date into a string).
  if (!json.startsWith('{'))
    throw new InvalidEventError(`${where}: must serialise to a JSON object`);
  return json;
}
