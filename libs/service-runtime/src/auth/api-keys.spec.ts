import { ConfigError } from '../config/env-errors';
import { ApiKeyRegistry, hashApiKey, hasScope, loadApiKeys } from './api-keys';

const KEY = 'ik_test_0123456789abcdefghijklmnop';
const configured = JSON.stringify([{ name: 'auditor', scopes: ['audit:read', 'incidents:read'], sha256: hashApiKey(KEY) }]);

describe('API keys', () => {
  it('authenticates a configured bearer key by its hash', () => {
    const registry = new ApiKeyRegistry(loadApiKeys({ INCIDENT_API_KEYS: configured }, 'production'));
    expect(registry.authenticate(`Bearer ${KEY}`)).toEqual({ ok: true, principal: { name: 'auditor', scopes: ['audit:read', 'incidents:read'] } });
  });

  it.each([
    [undefined, /missing Authorization/],
    ['Basic abc', /malformed/],
    ['Bearer not-a-known-key-at-all-xxxxxxx', /unknown API key/],
  ])('rejects %s with a reason', (header, reason) => {
    const registry = new ApiKeyRegistry(loadApiKeys({ INCIDENT_API_KEYS: configured }, 'production'));
    const result = registry.authenticate(header);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it('gives an auditor key read scopes only, and admin every scope', () => {
    const auditor = { name: 'a', scopes: ['audit:read'] as const };
    expect(hasScope(auditor, 'audit:read')).toBe(true);
    expect(hasScope(auditor, 'incidents:write')).toBe(false);
    expect(hasScope({ name: 'root', scopes: ['admin'] }, 'signals:write')).toBe(true);
  });

  it('keeps only the hash of a development admin key', () => {
    const [record] = loadApiKeys({ INCIDENT_ADMIN_KEY: KEY }, 'development');
    expect(record).toEqual({ name: 'admin', scopes: ['admin'], sha256: hashApiKey(KEY) });
    expect(JSON.stringify(record)).not.toContain(KEY);
  });

  it('refuses to start a production service without keys', () => {
    expect(() => loadApiKeys({}, 'production')).toThrow(/INCIDENT_API_KEYS: is not set; production services refuse/);
  });

  it('names the bad entry and field of INCIDENT_API_KEYS', () => {
    const bad = JSON.stringify([{ name: 'x', scopes: ['incidents:delete'], sha256: 'nope' }]);
    const error = captureConfigError(() => loadApiKeys({ INCIDENT_API_KEYS: bad }, 'development'));
    expect(error.problems.join('\n')).toMatch(/INCIDENT_API_KEYS\[0\.scopes\.0/);
    expect(error.problems.join('\n')).toMatch(/INCIDENT_API_KEYS\[0\.sha256/);
  });

  it('refuses a short admin key', () => {
    expect(() => loadApiKeys({ INCIDENT_ADMIN_KEY: 'short' }, 'development')).toThrow(/INCIDENT_ADMIN_KEY: must be at least 24/);
  });
});

function captureConfigError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
