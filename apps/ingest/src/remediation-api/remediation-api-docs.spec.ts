import { openApiDocumentOf } from '../testing/openapi-document';
import {
  REMEDIATION_UPSTREAM,
  RemediationApiController,
} from './remediation-api.controller';

// Wiring only: the controller is built but no server listens and nothing is forwarded.
describe('OpenAPI description of the forwarded remediation API', () => {
  it('documents each operation at the front door with its scope, body, and the 502/504 the door itself answers', async () => {
    const document = await openApiDocumentOf(
      [RemediationApiController],
      [{ provide: REMEDIATION_UPSTREAM, useValue: { url: 'http://127.0.0.1:8083', timeoutMs: 10_000 } }],
    );

    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/circuit-breakers/{dependency}',
      '/v1/circuit-breakers/{dependency}/reset',
      '/v1/incidents/{id}/remediation',
      '/v1/incidents/{id}/remediation/steps/{stepId}/approve',
    ]);
    const scope = (op: unknown) =>
      (op as Record<string, unknown> | undefined)?.['x-required-scope'];
    expect(scope(document.paths['/v1/incidents/{id}/remediation'].get)).toBe(
      'incidents:read',
    );
    const approve =
      document.paths['/v1/incidents/{id}/remediation/steps/{stepId}/approve']
        .post;
    expect(scope(approve)).toBe('incidents:write');
    expect(JSON.stringify(approve?.requestBody)).toContain('expectedVersion');
    expect(Object.keys(approve?.responses ?? {}).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
      '502',
      '504',
    ]);
    const reset =
      document.paths['/v1/circuit-breakers/{dependency}/reset'].post;
    expect(scope(reset)).toBe('incidents:write');
    expect(JSON.stringify(reset?.requestBody)).toContain('reason');
  });
});
