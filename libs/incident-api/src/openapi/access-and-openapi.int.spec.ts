import { randomUUID } from 'node:crypto';
import type { OpenAPIObject } from '@nestjs/swagger';
import { opened } from '../fixtures/incident-events';
import { appendIncident, createScratchEventStore, KEYS, type RunningApi, type ScratchEventStore, startApi } from '../int-support/api';

// Who may read what, and the document that tells clients so.
describe('credentials and the OpenAPI document of the incident API', () => {
  let scratch: ScratchEventStore;
  let api: RunningApi;
  const id = randomUUID();

  beforeAll(async () => {
    scratch = await createScratchEventStore({ poolSize: 4 });
    api = await startApi(scratch);
    await appendIncident(scratch, id, [opened({ incidentId: id })]);
  });
  afterAll(async () => {
    await api?.close();
    await scratch?.dispose();
  });

  const incidentPaths = () => ['/v1/incidents', `/v1/incidents/${id}`, `/v1/incidents/${id}/events`, `/v1/incidents/${id}/timeline`];

  it('answers 401 without a key or with an unknown one, on every route', async () => {
    for (const path of [...incidentPaths(), '/v1/audit/verify']) {
      expect([path, (await api.get(path, null)).status]).toEqual([path, 401]);
      expect([path, (await api.get(path, 'ik_unknown_key_0000000000000000000')).status]).toEqual([path, 401]);
    }
  });

  it('answers 403 to a key without incidents:read, and lets a reader in', async () => {
    for (const path of incidentPaths()) {
      expect([path, (await api.get(path, KEYS.publisher)).status]).toEqual([path, 403]);
      expect([path, (await api.get(path, KEYS.auditor)).status]).toEqual([path, 403]);
      expect([path, (await api.get(path, KEYS.reader)).status]).toEqual([path, 200]);
    }
  });

  it('keeps the audit to keys with audit:read', async () => {
    const forbidden = await api.get<{ message: string }>('/v1/audit/verify', KEYS.reader);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toMatch(/lacks the scope "audit:read"/);
    expect((await api.get('/v1/audit/verify', KEYS.auditor)).status).toBe(200);
  });

  it('serves an OpenAPI document of every route the app mounts, the signal endpoints included, without a key', async () => {
    const { status, body } = await api.get<OpenAPIObject>('/openapi.json', null);
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/v1/incidents', '/v1/incidents/{id}', '/v1/incidents/{id}/events', '/v1/incidents/{id}/timeline', '/v1/audit/verify', '/v1/signals']),
    );
    expect(body.components?.securitySchemes?.['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(body.security).toEqual([{ bearer: [] }]);
    expect(body.paths['/healthz'].get?.security).toEqual([]);
    const list = body.paths['/v1/incidents'].get;
    expect(scopeOf(list)).toBe('incidents:read');
    expect((list?.parameters ?? []).map((p) => ('name' in p ? p.name : ''))).toEqual(['status', 'severity', 'type', 'service', 'limit', 'cursor']);
    expect(Object.keys(list?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
    const state = body.paths['/v1/incidents/{id}'].get;
    expect((state?.parameters ?? []).map((p) => ('name' in p ? [p.name, p.in] : []))).toEqual([['id', 'path'], ['at', 'query'], ['version', 'query']]);
    expect(scopeOf(body.paths['/v1/audit/verify'].get)).toBe('audit:read');
    expect(Object.keys(body.paths['/v1/audit/verify'].get?.responses ?? {})).toEqual(expect.arrayContaining(['200', '409']));
  });

  it('serves Swagger UI at /docs', async () => {
    const { status, body } = await api.get<string>('/docs', null);
    expect(status).toBe(200);
    expect(body).toMatch(/swagger-ui/i);
  });
});

/** The extension Scoped() adds; not part of OperationObject's typing. */
function scopeOf(operation: object | undefined): unknown {
  return (operation as Record<string, unknown> | undefined)?.['x-required-scope'];
}
