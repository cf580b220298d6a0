import { type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from '@incident/event-store';
import { usageError } from '../cli/exit-codes';
import { keyIdOf, publicPem } from './keys';
import { MERKLE_SCHEME, type StreamLeaf, merkleRoot, sortLeaves } from './merkle';

export const CHECKPOINT_FORMAT = 'incidentctl/checkpoint';
export const CHECKPOINT_FORMAT_VERSION = 1;

/** What a checkpoint states about the log; the signature covers exactly this, canonically serialised. */
export interface CheckpointBody {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: typeof CHECKPOINT_FORMAT_VERSION;
  createdAt: string;
  schema: string;
  /**
   * The PostgreSQL snapshot (pg_snapshot text) the digest was taken in. It defines what the
   * checkpoint covers: exactly the events whose transaction it shows committed. A transaction in
   * flight then, or begun later, wrote events after the checkpoint, whatever their positions.
   */
  snapshot: string;
  eventCount: number;
  streamCount: number;
  /** Highest global position among the covered events (decimal string; null for an empty log). */
  lastGlobalPosition: string | null;
  merkle: typeof MERKLE_SCHEME;
  merkleRoot: string;
  streams: StreamLeaf[];
}

export interface Signature {
  algorithm: 'Ed25519';
  /** First 16 hex digits of sha256 over the public key's DER (SPKI): which key signed. */
  keyId: string;
  publicKey: string;
  /** base64 Ed25519 signature over canonicalJson(body). */
  value: string;
}

export type Checkpoint = CheckpointBody & { signature: Signature };

export function checkpointBody(fields: Omit<CheckpointBody, 'format' | 'formatVersion' | 'merkle' | 'merkleRoot' | 'streamCount'>): CheckpointBody {
  const streams = sortLeaves(fields.streams);
  return {
    format: CHECKPOINT_FORMAT,
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    createdAt: fields.createdAt,
    schema: fields.schema,
    snapshot: fields.snapshot,
    eventCount: fields.eventCount,
    streamCount: streams.length,
    lastGlobalPosition: fields.lastGlobalPosition,
    merkle: MERKLE_SCHEME,
    merkleRoot: merkleRoot(streams),
    streams,
  };
}

export function signCheckpoint(body: CheckpointBody, privateKey: KeyObject): Checkpoint {
  const value = sign(null, Buffer.from(canonicalJson(body), 'utf8'), privateKey).toString('base64');
  const pub = publicPem(privateKey);
  return { ...body, signature: { algorithm: 'Ed25519', keyId: keyIdOf(pub), publicKey: pub, value } };
}

export type CheckpointCheck = { ok: true; keyId: string } | { ok: false; reason: string };

/**
 * The signature against the key the auditor trusts (never the one the file carries, which anyone
 * altering the file would replace), then the root against the leaves it lists.
 */
export function checkCheckpoint(doc: Checkpoint, trusted: KeyObject): CheckpointCheck {
  const { signature, ...body } = doc;
  const trustedId = keyIdOf(publicPem(trusted));
  let valid = false;
  try {
    valid = verify(null, Buffer.from(canonicalJson(body), 'utf8'), trusted, Buffer.from(signature.value, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) {
    const other = signature.keyId !== trustedId ? ` (the file names key ${signature.keyId}, the trusted key is ${trustedId})` : '';
    return { ok: false, reason: `the signature does not verify with the trusted key: the checkpoint was altered or signed by another key${other}` };
  }
  const root = merkleRoot(sortLeaves(doc.streams));
  if (root !== doc.merkleRoot) return { ok: false, reason: `the Merkle root ${doc.merkleRoot} does not match the streams listed (${root})` };
  if (doc.streams.length !== doc.streamCount) return { ok: false, reason: `streamCount ${doc.streamCount} does not match the ${doc.streams.length} streams listed` };
  return { ok: true, keyId: trustedId };
}

/** The file's text as a checkpoint, or a usage error saying what is wrong with it. */
export function parseCheckpoint(text: string, file: string): Checkpoint {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw usageError(`${file} is not JSON: ${(error as Error).message}`);
  }
  const d = doc as Partial<Checkpoint> | null;
  if (d?.format !== CHECKPOINT_FORMAT) throw usageError(`${file} is not an incidentctl checkpoint (format is not "${CHECKPOINT_FORMAT}")`);
  if (d.formatVersion !== CHECKPOINT_FORMAT_VERSION) throw usageError(`${file} has checkpoint format version ${d.formatVersion}; this incidentctl reads version ${CHECKPOINT_FORMAT_VERSION}`);
  const leavesOk = Array.isArray(d.streams) && d.streams.every((l) => typeof l?.stream === 'string' && Number.isInteger(l.version) && typeof l.hash === 'string');
  const sig = d.signature;
  if (!leavesOk || typeof d.snapshot !== 'string' || typeof d.merkleRoot !== 'string' || typeof sig?.value !== 'string' || typeof sig.keyId !== 'string') {
    throw usageError(`${file} is missing parts of a checkpoint (streams, snapshot, merkleRoot or signature)`);
  }
  return d as Checkpoint;
}
