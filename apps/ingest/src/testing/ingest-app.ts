import 'reflect-metadata';
import net from 'node:net';
import {
  appRoleUrl,
  createScratchEventStore,
  type ScratchEventStore,
} from '@incident/testing';
import { hashApiKey, startService } from '@incident/service-runtime';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from '../app/app.module';
import type { SignalsAnswer } from '../signals/recording/answer';
import type { IngestOverrides } from '../app/ingest-config';
import { integrationEnv, uniqueName } from './infra';
import { TcpProxy } from './tcp-proxy';

export const WRITER_KEY = 'ik_test_writer_0123456789abcdef';
export const READER_KEY = 'ik_test_reader_0123456789abcdef';

export interface IngestUnderTest {
  url: string;
  scratch: ScratchEventStore;
  /** Present when started with `{ proxied: true }`: cut it to take the log down. */
  proxy?: TcpProxy;
  post(path: string, body: unknown, options?: PostOptions): Promise<Response>;
  /** Events of `type` in the scratch log, counted as the admin sees them. */
  count(type: string): Promise<number>;
  close(): Promise<void>;
}

export interface PostOptions {
  contentType?: string;
  key?: string | null;
  headers?: Record<string, string>;
}

/**
 * The real ingest, in process: startService (the runtime's body parsers, guard and error shapes)
 * on a free port, against a scratch event-log schema of its own and the real broker. The relay and
 * the intake consumer are off unless a test turns them on, so a test publishes nothing it did not
 * ask for onto the shared broker.
 */
export async function startIngest(
  options: {
    env?: Record<string, string>;
    overrides?: IngestOverrides;
    proxied?: boolean;
  } = {},
): Promise<IngestUnderTest> {
  const infra = integrationEnv();
  const scratch = await createScratchEventStore({
    url: infra.DATABASE_URL,
    poolSize: 2,
  });
  let databaseUrl = appRoleUrl(infra.DATABASE_URL, 'incident_app');
  let proxy: TcpProxy | undefined;
  if (options.proxied) {
    const target = new URL(databaseUrl);
    proxy = await new TcpProxy(
      target.hostname,
      Number(target.port || 5432),
    ).start();
    target.host = `127.0.0.1:${proxy.port}`;
    databaseUrl = target.toString();
  }
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    NODE_ENV: 'test',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    DATABASE_URL: databaseUrl,
    EVENT_LOG_SCHEMA: scratch.schema,
    DATABASE_POOL_SIZE: '4',
    KAFKA_BROKERS: infra.KAFKA_BROKERS,
    KAFKA_LOG_LEVEL: 'nothing',
    RELAY_ENABLED: 'false',
    INTAKE_ENABLED: 'false',
    RELAY_NAME: uniqueName('relay'),
    INTAKE_GROUP_ID: uniqueName('ingest-intake'),
    INCIDENT_API_KEYS: JSON.stringify([
      {
        name: 'publisher',
        scopes: ['signals:write'],
        sha256: hashApiKey(WRITER_KEY),
      },
      {
        name: 'auditor',
        scopes: ['incidents:read', 'audit:read'],
        sha256: hashApiKey(READER_KEY),
      },
    ]),
    ...options.env,
  };
  let app: NestExpressApplication;
  try {
    app = await startService(
      {
        name: 'ingest',
        defaultPort: 8080,
        module: (ctx) => AppModule.forRoot(ctx, options.overrides),
      },
      env,
    );
  } catch (error) {
    await scratch.dispose();
    await proxy?.cut();
    throw error;
  }
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    scratch,
    proxy,
    post: (path, body, o = {}) => post(url, path, body, o),
    async count(type) {
      const rows: { n: string }[] = await scratch.admin.query(
        `SELECT count(*) AS n FROM "${scratch.schema}".events WHERE type = $1`,
        [type],
      );
      return Number(rows[0].n);
    },
    async close() {
      await app.close();
      await proxy?.cut();
      await scratch.dispose();
    },
  };
}

function post(
  url: string,
  path: string,
  body: unknown,
  o: PostOptions,
): Promise<Response> {
  const headers: Record<string, string> = {
    'content-type': o.contentType ?? 'application/json',
    ...o.headers,
  };
  const key = o.key === undefined ? WRITER_KEY : o.key;
  if (key !== null) headers['authorization'] = `Bearer ${key}`;
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A port nothing listens on right now (the runtime's config wants a port, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A valid signal with defaults, overridable per test (STYLE.md 13). */
export function aSignal(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: uniqueName('sig'),
    source: 'checkout',
    message: 'Rate limit exceeded',
    level: 'ERROR',
    errorCode: 429,
    ...overrides,
  };
}

/** The 202 body of the signal endpoints. */
export function answerOf(res: Response): Promise<SignalsAnswer> {
  return res.json() as Promise<SignalsAnswer>;
}

/** The body of a 4xx/5xx answer. */
export interface Problem {
  error: string;
  message?: string;
  issues?: { at: string; message: string }[];
  retryAfterSeconds?: number;
}

export function problemOf(res: Response): Promise<Problem> {
  return res.json() as Promise<Problem>;
}
