import { createHash } from 'node:crypto';
import { type StreamLeaf, leafData, leafHash, merkleRoot, nodeHash, sortLeaves } from './merkle';

describe('the Merkle root of a checkpoint', () => {
  it('is the RFC 6962 tree hash for every size from 0 to 33 leaves', () => {
    for (let n = 0; n <= 33; n++) {
      const leaves = leavesOf(n);
      expect({ n, root: merkleRoot(leaves) }).toEqual({ n, root: rfc6962(leaves.map(leafData)).toString('hex') });
    }
  });

  it('is the hash of nothing for an empty log, and a lone leaf\'s own leaf hash for one stream', () => {
    expect(merkleRoot([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const [one] = leavesOf(1);
    expect(merkleRoot([one])).toBe(leafHash(leafData(one)).toString('hex'));
  });

  it('changes when any leaf\'s stream, version or hash changes, or a leaf is added, dropped or moved', () => {
    const leaves = leavesOf(7);
    const root = merkleRoot(leaves);
    const variants = [
      leaves.map((l, i) => (i === 3 ? { ...l, version: l.version + 1 } : l)),
      leaves.map((l, i) => (i === 6 ? { ...l, hash: 'f'.repeat(64) } : l)),
      leaves.map((l, i) => (i === 0 ? { ...l, stream: `${l.stream}x` } : l)),
      [...leaves, { stream: 'zz', version: 1, hash: '0'.repeat(64) }],
      leaves.slice(1),
      [leaves[1], leaves[0], ...leaves.slice(2)],
    ];
    for (const variant of variants) expect(merkleRoot(variant)).not.toBe(root);
  });

  it('does not let an odd leaf count collide with the same list with its last leaf duplicated', () => {
    const leaves = leavesOf(3);
    expect(merkleRoot(leaves)).not.toBe(merkleRoot([...leaves, leaves[2]]));
  });

  it('sorts streams by their UTF-8 bytes, not by locale or UTF-16 units', () => {
    const ids = ['b', 'B', 'a', 'é', '\u{1F600}', '\uFF5E', 'incident-2', 'incident-10'];
    const sorted = sortLeaves(ids.map((stream) => ({ stream, version: 1, hash: '0'.repeat(64) }))).map((l) => l.stream);
    expect(sorted).toEqual(['B', 'a', 'b', 'incident-10', 'incident-2', 'é', '\uFF5E', '\u{1F600}']);
  });
});

/** The definition, recursively: split at the largest power of two below n. */
function rfc6962(data: Buffer[]): Buffer {
  if (data.length === 0) return createHash('sha256').digest();
  if (data.length === 1) return leafHash(data[0]);
  let k = 1;
  while (k * 2 < data.length) k *= 2;
  return nodeHash(rfc6962(data.slice(0, k)), rfc6962(data.slice(k)));
}

function leavesOf(n: number): StreamLeaf[] {
  return sortLeaves(
    Array.from({ length: n }, (_, i) => ({
      stream: `incident-${String(i).padStart(3, '0')}`,
      version: i + 1,
      hash: createHash('sha256').update(String(i)).digest('hex'),
    })),
  );
}
