export const REDACTED = '[REDACTED]';

// Bearer credentials, the platform's own key format (ik_<name>_<random>), and the password of a
// URL's userinfo (postgres://user:secret@host): the shapes a secret takes in an error message.
const PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer\s+)[^\s"',;]+/gi, `$1${REDACTED}`],
  [/\bik_[A-Za-z0-9]+_[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, `$1${REDACTED}@`],
];

/**
 * Masks secrets in text before it is logged: the patterns above plus the literal values the
 * service was configured with (INCIDENT_ADMIN_KEY, KAFKA_SASL_PASSWORD, ...), whatever shape
 * they have. The second line of defence: nothing should log a header or a key to begin with.
 */
export class SecretScrubber {
  private readonly literals: readonly string[];

  constructor(literals: readonly (string | undefined)[] = []) {
    // Longest first, so a secret that contains another is masked whole. Short values would mask
    // ordinary words; configuration requires keys of 24 characters or more anyway.
    this.literals = [...new Set(literals.filter((l): l is string => typeof l === 'string' && l.length >= 8))].sort((a, b) => b.length - a.length);
  }

  text(value: string): string {
    let out = value;
    for (const literal of this.literals) if (out.includes(literal)) out = out.split(literal).join(REDACTED);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  }

  /** A copy of `value` with every string in it scrubbed (objects to a bounded depth). */
  value(value: unknown, depth = 4): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value instanceof Error) return this.error(value);
    if (depth === 0 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth - 1));
    if (!isPlain(value)) return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.value(v, depth - 1)]));
  }

  /**
   * A scrubbed copy of an Error, of the same class (pino's serializer names the type after its
   * constructor), with its own fields (code, ...) scrubbed too.
   */
  error(error: Error, depth = 3): Error {
    const copy = Object.create(Object.getPrototypeOf(error)) as Error & Record<string, unknown>;
    for (const key of Object.keys(error)) copy[key] = this.value((error as unknown as Record<string, unknown>)[key], depth - 1);
    copy.message = this.text(error.message);
    if (error.stack) copy.stack = this.text(error.stack);
    if (error.cause !== undefined && depth > 0) copy.cause = this.value(error.cause, depth - 1);
    return copy;
  }
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** The configured secrets of a service's environment: what the scrubber masks literally. */
export function configuredSecrets(env: NodeJS.ProcessEnv): string[] {
  const secrets = [env['INCIDENT_ADMIN_KEY'], env['KAFKA_SASL_PASSWORD']];
  for (const name of ['DATABASE_URL']) {
    const url = env[name];
    if (!url) continue;
    try {
      const password = decodeURIComponent(new URL(url).password);
      if (password) secrets.push(password);
    } catch {
      // Not a URL: config validation reports it; nothing to mask.
    }
  }
  return secrets.filter((s): s is string => Boolean(s));
}
