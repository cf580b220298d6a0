// Helpers for *.int.spec.ts only: the real module in a real Nest app on a real port, against
// PostgreSQL in a scratch schema. No mocks: requests go through fetch, the guard and the pool.
import type { AddressInfo } from 'node:net';
import { Body, Controller, type DynamicModule, type INestApplication, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Streams } from '@incident/contracts';
import type { IncidentEvent } from '@incident/incident-domain';
import { type ApiKeyRecord, hashApiKey, RequireScope, type Scope, ServiceRuntimeModule } from '@incident/service-runtime';
import { appRoleUrl, createScratchEventStore, type ScratchEventStore } from '@incident/testing';
import { toNewEvent } from '../fixtures/incident-events';
import { IncidentApiModule } from '../incident-api.module';
import { setupOpenApi } from '../openapi/setup-openapi';

/**
 * One key per role the tests play; the keys are long random-looking strings, as real ones are.
 * The responders are named as people: a key's name is the actor their commands record.
 */
export const KEYS = {
  admin: 'ik_int_admin_000000000000000000000000',
  reader: 'ik_int_reader_00000000000000000000000',
  auditor: 'ik_int_auditor_0000000000000000000000',
  publisher: 'ik_int_publisher_00000000000000000000',
  alice: 'ik_int_alice_000000000000000000000000',
  bob: 'ik_int_bob_00000000000000000000000000',
} as const;

const SCOPES: Record<keyof typeof KEYS, Scope[]> = {
  admin: ['admin'],
  reader: ['incidents:read'],
  auditor: ['audit:read'],
  publisher: ['signals:write'],
  alice: ['incidents:read', 'incidents:write'],
  bob: ['incidents:read', 'incidents:write'],
};

const apiKeys: ApiKeyRecord[] = Object.entries(KEYS).map(([name, key]) => ({ name, scopes: SCOPES[name as keyof typeof KEYS], sha256: hashApiKey(key) }));

/** Stands in for the ingest app's signal endpoints: the OpenAPI document must list them too. */
@Controller('v1/signals')
class SignalsStandInController {
  @Post()
  @RequireScope('signals:write')
  accept(@Body() _body: unknown): { accepted: number } {
    return { accepted: 0 };
  }
}

@Module({})
class TestAppModule {
  static forRoot(scratch: ScratchEventStore): DynamicModule {
    const config = {
      service: 'incident-api-int',
      environment: 'test' as const,
      http: { host: '127.0.0.1', port: 0 },
      database: { url: appRoleUrl(scratch.adminUrl, 'incident_app'), schema: scratch.schema, poolSize: 4 },
      shutdownTimeoutMs: 5_000,
    };
    return {
      module: TestAppModule,
      imports: [ServiceRuntimeModule.forRoot({ config, apiKeys }), IncidentApiModule.forRoot({ projector: { pollIntervalMs: 25, batchSize: 200 } })],
      controllers: [SignalsStandInController],
    };
  }
}

export interface RunningApi {
  app: INestApplication;
  get<T = unknown>(path: string, key?: string | null): Promise<{ status: number; body: T }>;
  /** POSTs `body` as JSON (a string is sent as it is), with the key and any extra headers. */
  post<T = unknown>(path: string, body: unknown, key?: string | null, headers?: Record<string, string>): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

/** The incident API on a free port, as the ingest app mounts it (runtime module first, then this lib). */
export async function startApi(scratch: ScratchEventStore): Promise<RunningApi> {
  const app = await NestFactory.create(TestAppModule.forRoot(scratch), { logger: ['error', 'warn'] });
  setupOpenApi(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const request = async <T>(path: string, init: RequestInit, key: string | null, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, { ...init, headers: { ...headers, ...(key ? { authorization: `Bearer ${key}` } : {}) } });
    const text = await res.text();
    const body = (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
    return { status: res.status, body };
  };
  return {
    app,
    get: <T>(path: string, key: string | null = KEYS.admin) => request<T>(path, {}, key),
    post: <T>(path: string, body: unknown, key: string | null = KEYS.alice, headers: Record<string, string> = {}) =>
      request<T>(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) }, key, { 'content-type': 'application/json', ...headers }),
    close: () => app.close(),
  };
}

export { createScratchEventStore, type ScratchEventStore };

/** Appends domain events to an incident's stream as correlation stores them; returns what the log recorded. */
export async function appendIncident(scratch: ScratchEventStore, incidentId: string, events: IncidentEvent[], expectedVersion: number | 'no_stream' | 'any' = 'any') {
  const result = await scratch.store.append(Streams.incident(incidentId), events.map((e) => toNewEvent(e)), { expectedVersion });
  return result.appended;
}

/**
 * Retries `check` until it stops throwing. The projector follows the log asynchronously, and
 * readAll holds events back while any older transaction in the cluster is open (other tests on
 * a shared server hold some), so "not yet" is a normal answer.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
