import { createHash } from 'node:crypto';

/** A stream's position in a checkpoint: its last version and that event's chain hash (hex sha256). */
export interface StreamLeaf {
  stream: string;
  version: number;
  hash: string;
}

export const MERKLE_SCHEME = {
  tree: 'RFC 6962 Merkle tree hash, SHA-256 (leaf = H(0x00 || data), node = H(0x01 || left || right))',
  leaf: 'UTF-8 JSON array [stream, version, hash], no whitespace',
  order: 'leaves sorted by stream id, compared as UTF-8 bytes',
} as const;

/** Leaves in the one order the root is defined over: stream ids as UTF-8 bytes, not locale or UTF-16. */
export function sortLeaves(leaves: readonly StreamLeaf[]): StreamLeaf[] {
  const keyed = leaves.map((leaf) => ({ leaf, key: Buffer.from(leaf.stream, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map(({ leaf }) => leaf);
}

export function leafData(leaf: StreamLeaf): Buffer {
  return Buffer.from(JSON.stringify([leaf.stream, leaf.version, leaf.hash]), 'utf8');
}

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export function leafHash(data: Buffer): Buffer {
  return createHash('sha256').update(LEAF).update(data).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE).update(left).update(right).digest();
}

/**
 * The RFC 6962 tree hash of the leaves in the order given (sort them first), hex. Built bottom
 * up, carrying an odd last node up a level unpaired: that is the same tree as RFC 6962's split at
 * the largest power of two below n, and never duplicates a leaf (duplicating would let two
 * different leaf lists share a root). The empty tree is the hash of nothing.
 */
export function merkleRoot(leaves: readonly StreamLeaf[]): string {
  if (leaves.length === 0) return createHash('sha256').digest('hex');
  let level = leaves.map((leaf) => leafHash(leafData(leaf)));
  while (level.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) up.push(nodeHash(level[i], level[i + 1]));
    if (level.length % 2 === 1) up.push(level[level.length - 1]);
    level = up;
  }
  return level[0].toString('hex');
}
