import { generateKeyPairSync } from 'node:crypto';
import { type Checkpoint, checkCheckpoint, checkpointBody, parseCheckpoint, signCheckpoint } from './document';
import { checkpointText } from './file';
import { keyIdOf, publicPem } from './keys';

describe('a signed checkpoint', () => {
  const signer = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');

  it('verifies with the signer\'s public key, and with its private key file too', () => {
    const doc = signed();
    expect(checkCheckpoint(doc, signer.publicKey)).toEqual({ ok: true, keyId: keyIdOf(publicPem(signer.publicKey)) });
    expect(checkCheckpoint(doc, signer.privateKey).ok).toBe(true);
  });

  it('survives its own file format: written, read back, still verifying', () => {
    const doc = signed();
    const back = parseCheckpoint(checkpointText(doc), 'cp.json');
    expect(back).toEqual(doc);
    expect(checkCheckpoint(back, signer.publicKey).ok).toBe(true);
    // One line per stream, so a large log stays a readable file.
    expect(checkpointText(doc).split('\n').filter((line) => line.includes('"stream":'))).toHaveLength(3);
  });

  it.each<[string, (doc: Checkpoint) => Checkpoint]>([
    ['a stream\'s version', (d) => ({ ...d, streams: d.streams.map((l, i) => (i === 1 ? { ...l, version: 9 } : l)) })],
    ['a stream\'s hash', (d) => ({ ...d, streams: d.streams.map((l, i) => (i === 0 ? { ...l, hash: 'a'.repeat(64) } : l)) })],
    ['the event count', (d) => ({ ...d, eventCount: d.eventCount + 1 })],
    ['the last position', (d) => ({ ...d, lastGlobalPosition: '1' })],
    ['the snapshot', (d) => ({ ...d, snapshot: '900:900:' })],
    ['the root', (d) => ({ ...d, merkleRoot: 'b'.repeat(64) })],
    ['a dropped stream', (d) => ({ ...d, streams: d.streams.slice(1) })],
  ])('fails when %s was edited after signing', (_what, edit) => {
    const result = checkCheckpoint(edit(signed()), signer.publicKey);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/signature does not verify/) });
  });

  it('fails against a key other than the signer\'s, even when the file carries that other key\'s id', () => {
    const doc = signed();
    const forged = signCheckpoint(withoutSignature(doc), other.privateKey);
    expect(checkCheckpoint(doc, other.publicKey)).toMatchObject({ ok: false, reason: expect.stringMatching(/trusted key is/) });
    // Re-signed by someone else: valid under their key, not under the trusted one.
    expect(checkCheckpoint(forged, signer.publicKey).ok).toBe(false);
  });

  it('is refused with a usage error when the file is not JSON, not a checkpoint, or of another format version', () => {
    expect(() => parseCheckpoint('{', 'cp.json')).toThrow(/not JSON/);
    expect(() => parseCheckpoint('{"format":"x"}', 'cp.json')).toThrow(/not an incidentctl checkpoint/);
    expect(() => parseCheckpoint(JSON.stringify({ ...signed(), formatVersion: 2 }), 'cp.json')).toThrow(/format version 2/);
    expect(() => parseCheckpoint(JSON.stringify({ ...signed(), signature: undefined }), 'cp.json')).toThrow(/missing parts/);
  });

  function signed(): Checkpoint {
    const body = checkpointBody({
      createdAt: '2025-03-01T10:00:00.000Z',
      schema: 'event_log',
      snapshot: '100:105:101,103',
      eventCount: 6,
      lastGlobalPosition: '42',
      streams: [
        { stream: 'incident-b', version: 3, hash: '3'.repeat(64) },
        { stream: 'incident-a', version: 2, hash: '2'.repeat(64) },
        { stream: 'signal-c', version: 1, hash: '1'.repeat(64) },
      ],
    });
    return signCheckpoint(body, signer.privateKey);
  }
});

function withoutSignature(doc: Checkpoint) {
  const { signature: _signature, ...body } = doc;
  return body;
}
