import { type KeyObject, createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { usageError } from '../cli/exit-codes';

export interface KeyPairFiles {
  privateKeyFile: string;
  publicKeyFile: string;
  keyId: string;
}

/** `<prefix>.key.pem` (PKCS#8, mode 0600) and `<prefix>.pub.pem` (SPKI). Refuses to overwrite unless forced. */
export function writeKeyPair(prefix: string, force = false): KeyPairFiles {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const files = { privateKeyFile: `${prefix}.key.pem`, publicKeyFile: `${prefix}.pub.pem` };
  const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const flag = force ? 'w' : 'wx';
  try {
    writeFileSync(files.privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), { mode: 0o600, flag });
    writeFileSync(files.publicKeyFile, pub, { mode: 0o644, flag });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'EEXIST') throw usageError(`${e.path ?? prefix} exists; pass --force to replace the key pair`);
    throw usageError(`cannot write the key pair: ${e.message}`);
  }
  return { ...files, keyId: keyIdOf(pub) };
}

/** The private key a checkpoint is signed with (Ed25519, PEM). */
export function loadSigningKey(file: string): KeyObject {
  const key = parseKey(file, (pem) => createPrivateKey(pem), 'an Ed25519 private key (PEM, as "checkpoint keygen" writes it)');
  return key;
}

/** The key a checkpoint is verified against: the public key, or the private key it derives from. */
export function loadVerifyingKey(file: string): KeyObject {
  return parseKey(file, (pem) => createPublicKey(pem), 'an Ed25519 public or private key (PEM)');
}

function parseKey(file: string, parse: (pem: string) => KeyObject, what: string): KeyObject {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw usageError(`cannot read key file ${file}: ${(error as Error).message}`);
  }
  let key: KeyObject;
  try {
    key = parse(pem);
  } catch {
    throw usageError(`${file} is not ${what}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw usageError(`${file} holds a ${key.asymmetricKeyType ?? 'non-asymmetric'} key, not ${what}`);
  return key;
}

export function publicPem(key: KeyObject): string {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  return pub.export({ type: 'spki', format: 'pem' }).toString();
}

export function keyIdOf(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}
