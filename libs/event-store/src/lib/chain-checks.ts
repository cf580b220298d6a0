import { canonicalJson } from './canonical-json';
import { canonicalEvent, chainHash } from './hash-chain';
import { COL } from './rows';
import type { VerifyResult } from './types';

// The checks verify() makes on each event and at the end of each stream, apart from the paging.

export type Failure = Extract<VerifyResult, { ok: false }>;

/** The columns of an events row that the chain covers, plus where it sits. */
export interface ChainRow {
  eventId: string;
  streamId: string;
  streamVersion: number;
  globalPosition: string;
  type: string;
  schemaVersion: number;
  occurredAt: Date;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown>;
  hash: string;
  prevHash: string;
}
export interface HeadRow {
  stream_id: string;
  version: number;
  last_hash: string;
}

/** Where the walk through one stream has got to. */
export interface Walk {
  streamId: string;
  nextVersion: number;
  prevHash: string;
  lastPosition: bigint;
}

export function checkEvent(walk: Walk, row: ChainRow): Failure | undefined {
  const { streamId } = walk;
  const version = row.streamVersion;
  if (version !== walk.nextVersion) {
    return fail(
      streamId,
      walk.nextVersion,
      `version ${walk.nextVersion} is missing: the next stored version is ${version}`,
    );
  }
  if (row.prevHash !== walk.prevHash) {
    return fail(
      streamId,
      version,
      `prev_hash does not link to the hash of version ${version - 1}`,
    );
  }
  const canonical = canonicalEvent(
    {
      id: row.eventId,
      streamId,
      streamVersion: version,
      type: row.type,
      schemaVersion: row.schemaVersion,
      occurredAt: row.occurredAt,
      payload: row.payload,
      metadata: row.metadata,
    },
    canonicalJson(row.payload),
    canonicalJson(row.metadata),
  );
  if (chainHash(row.prevHash, canonical) !== row.hash) {
    return fail(
      streamId,
      version,
      'the event differs from what was hashed when it was appended',
    );
  }
  const position = BigInt(row.globalPosition);
  // Versions are appended in order, so positions must rise with them; a row slipped in later can't.
  if (position <= walk.lastPosition) {
    return fail(
      streamId,
      version,
      `global position ${position} is not after that of version ${version - 1}`,
    );
  }
  walk.nextVersion++;
  walk.prevHash = row.hash;
  walk.lastPosition = position;
  return undefined;
}

export function toChainRow(row: unknown[]): ChainRow {
  return {
    eventId: row[COL.eventId] as string,
    streamId: row[COL.streamId] as string,
    streamVersion: row[COL.streamVersion] as number,
    globalPosition: row[COL.globalPosition] as string,
    type: row[COL.type] as string,
    schemaVersion: row[COL.schemaVersion] as number,
    occurredAt: row[COL.occurredAt] as Date,
    payload: row[COL.payload] as Record<string, unknown>,
    metadata: row[COL.metadata] as Record<string, unknown>,
    hash: row[COL.hash] as string,
    prevHash: row[COL.prevHash] as string,
  };
}

export function checkHead(
  walk: Walk,
  head: HeadRow | undefined,
): Failure | undefined {
  const last = walk.nextVersion - 1;
  if (!head)
    return fail(walk.streamId, 1, 'the stream has events but no stream head');
  if (head.version > last) {
    return fail(
      walk.streamId,
      last + 1,
      `events ${last + 1}..${head.version} are missing: the stream head says version ${head.version}`,
    );
  }
  if (head.version < last) {
    return fail(
      walk.streamId,
      head.version + 1,
      `events after version ${head.version} were not appended through the log: the stream head says version ${head.version}`,
    );
  }
  if (head.last_hash !== walk.prevHash) {
    return fail(
      walk.streamId,
      last,
      'the hash of the last event differs from the one recorded in the stream head',
    );
  }
  return undefined;
}

export function fail(
  streamId: string,
  streamVersion: number,
  reason: string,
): Failure {
  return { ok: false, streamId, streamVersion, reason };
}
