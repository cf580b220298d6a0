import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// Helpers for ingest's *.int.spec.ts only (nothing in main.ts imports them). They talk to the real
// PostgreSQL and the real broker of `npm run infra:up`; nothing here is a mock.

const WORKSPACE = path.resolve(__dirname, '../../../..');

/** The environment first, then what `infra:up` wrote to .cache/infra.env, then local defaults. */
export function integrationEnv(): {
  DATABASE_URL: string;
  KAFKA_BROKERS: string;
} {
  const file: Record<string, string> = {};
  try {
    for (const line of readFileSync(
      path.join(WORKSPACE, '.cache/infra.env'),
      'utf8',
    ).split('\n')) {
      const i = line.indexOf('=');
      if (i > 0 && !line.startsWith('#'))
        file[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
  } catch {
    // no infra.env: the defaults below
  }
  return {
    DATABASE_URL:
      process.env['DATABASE_URL'] ||
      file['DATABASE_URL'] ||
      'postgres://postgres@127.0.0.1:5432/incidents',
    KAFKA_BROKERS:
      process.env['KAFKA_BROKERS'] || file['KAFKA_BROKERS'] || '127.0.0.1:9092',
  };
}

/** Random per test, so tests share no topic, group or relay lock (STYLE.md 12). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(
        `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
