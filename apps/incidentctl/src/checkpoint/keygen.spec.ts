import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli';
import { loadSigningKey, loadVerifyingKey } from './keys';

describe('checkpoint keygen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'incidentctl-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes an Ed25519 pair, the private half readable by its owner only, and never prints it', async () => {
    const prefix = join(dir, 'auditor');
    const result = await runCli(['checkpoint', 'keygen', '--out', prefix, '--json']);
    expect(result.code).toBe(0);
    const files = result.json<{ privateKeyFile: string; publicKeyFile: string; keyId: string }>();
    expect(files).toEqual({ privateKeyFile: `${prefix}.key.pem`, publicKeyFile: `${prefix}.pub.pem`, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(statSync(files.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(result.stdout + result.stderr).not.toMatch(/PRIVATE KEY/);
    expect(readFileSync(files.privateKeyFile, 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    expect(loadSigningKey(files.privateKeyFile).asymmetricKeyType).toBe('ed25519');
    expect(loadVerifyingKey(files.publicKeyFile).type).toBe('public');
  });

  it('refuses to replace an existing key pair without --force (exit 2)', async () => {
    const prefix = join(dir, 'twice');
    expect((await runCli(['checkpoint', 'keygen', '--out', prefix])).code).toBe(0);
    expect(await runCli(['checkpoint', 'keygen', '--out', prefix])).toMatchObject({ code: 2, stderr: expect.stringMatching(/exists; pass --force/) });
    expect((await runCli(['checkpoint', 'keygen', '--out', prefix, '--force'])).code).toBe(0);
  });

  it('refuses a public key for signing and a non-Ed25519 key for either (usage errors)', async () => {
    const prefix = join(dir, 'pub');
    await runCli(['checkpoint', 'keygen', '--out', prefix]);
    expect(() => loadSigningKey(`${prefix}.pub.pem`)).toThrow(/not an Ed25519 private key/);
    expect(() => loadVerifyingKey(join(dir, 'missing.pem'))).toThrow(/cannot read key file/);
  });
});
