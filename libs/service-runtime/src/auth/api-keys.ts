import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, envProblems } from '../config/env-errors';

export const SCOPES = ['signals:write', 'incidents:read', 'incidents:write', 'audit:read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyRecord {
  name: string;
  scopes: readonly Scope[];
  /** sha256 of the key, hex. Keys are random and long, so a fast hash is enough; only hashes are kept. */
  sha256: string;
}

export interface Principal {
  name: string;
  scopes: readonly Scope[];
}

export type Authentication = { ok: true; principal: Principal } | { ok: false; reason: string };

const MIN_KEY_LENGTH = 24;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Holds hashed keys only; a presented key is hashed and compared in constant time. */
export class ApiKeyRegistry {
  private readonly byHash = new Map<string, ApiKeyRecord>();

  constructor(records: readonly ApiKeyRecord[]) {
    for (const r of records) this.byHash.set(r.sha256, r);
  }

  get size(): number {
    return this.byHash.size;
  }

  authenticate(authorization: string | undefined): Authentication {
    if (!authorization) return { ok: false, reason: 'missing Authorization header (expected "Bearer <api key>")' };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) return { ok: false, reason: 'malformed Authorization header (expected "Bearer <api key>")' };
    const presented = hashApiKey(match[1]);
    const record = this.byHash.get(presented);
    if (!record || !timingSafeEqual(Buffer.from(record.sha256, 'hex'), Buffer.from(presented, 'hex'))) {
      return { ok: false, reason: 'unknown API key' };
    }
    return { ok: true, principal: { name: record.name, scopes: record.scopes } };
  }
}

export function hasScope(principal: Principal, scope: Scope): boolean {
  return principal.scopes.includes('admin') || principal.scopes.includes(scope);
}

const RecordSchema = z.strictObject({
  name: z.string().regex(/^[\w.@-]{1,64}$/, 'letters, digits, "_", ".", "@" and "-", at most 64'),
  scopes: z.array(z.enum(SCOPES)).min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the hex sha256 of the key'),
});

/**
 * Keys come from INCIDENT_API_KEYS (a JSON array of {name, scopes, sha256}) and, for
 * development, INCIDENT_ADMIN_KEY (a plain key, hashed at once). In production a service
 * without any key refuses to start rather than serve an open API.
 */
export function loadApiKeys(env: NodeJS.ProcessEnv, environment: string): ApiKeyRecord[] {
  const records: ApiKeyRecord[] = [];
  const problems: string[] = [];
  if (env['INCIDENT_API_KEYS']) {
    let json: unknown;
    try {
      json = JSON.parse(env['INCIDENT_API_KEYS']);
    } catch {
      problems.push('INCIDENT_API_KEYS: is not JSON; expected [{"name":..,"scopes":[..],"sha256":..}]');
    }
    const parsed = z.array(RecordSchema).safeParse(json);
    if (json !== undefined && !parsed.success) problems.push(...envProblems(parsed.error).map((p) => `INCIDENT_API_KEYS${p.startsWith('(') ? '' : '['}${p}`));
    if (parsed.success) records.push(...parsed.data);
  }
  const admin = env['INCIDENT_ADMIN_KEY'];
  if (admin !== undefined) {
    if (admin.length < MIN_KEY_LENGTH) problems.push(`INCIDENT_ADMIN_KEY: must be at least ${MIN_KEY_LENGTH} characters`);
    else records.push({ name: 'admin', scopes: ['admin'], sha256: hashApiKey(admin) });
  }
  if (records.length === 0 && problems.length === 0 && environment === 'production') {
    problems.push('INCIDENT_API_KEYS: is not set; production services refuse to start without API keys');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return records;
}
