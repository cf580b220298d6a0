import { openApiDocumentOf } from '../../testing/openapi-document';
import { PostAlertmanagerController } from '../post-alertmanager/post-alertmanager.controller';
import { PostLogsController } from '../post-logs/post-logs.controller';
import { PostSignalsController } from '../post-signals/post-signals.controller';
import { PostTrafficController } from '../post-traffic/post-traffic.controller';
import { Recorder } from '../recording/recorder';

// Wiring only: the controllers are built but no server listens and nothing is recorded.
describe('OpenAPI description of the intake endpoints', () => {
  it('documents each operation with its scope, content type, body and Retry-After answers', async () => {
    const document = await openApiDocumentOf(
      [PostSignalsController, PostLogsController, PostAlertmanagerController, PostTrafficController],
      [{ provide: Recorder, useValue: {} }],
    );

    expect(Object.keys(document.paths).sort()).toEqual([
      '/v1/signals',
      '/v1/signals/alertmanager',
      '/v1/signals/logs',
      '/v1/traffic',
    ]);
    const logs = document.paths['/v1/signals/logs'].post;
    expect(
      (logs as Record<string, unknown> | undefined)?.['x-required-scope'],
    ).toBe('signals:write');
    expect(
      Object.keys((logs?.requestBody as { content: object }).content),
    ).toEqual(['text/plain']);
    expect(Object.keys(logs?.responses ?? {}).sort()).toEqual([
      '202',
      '400',
      '401',
      '403',
      '413',
      '415',
      '429',
      '503',
    ]);
    expect(
      JSON.stringify(document.paths['/v1/signals'].post?.requestBody),
    ).toContain('"maxItems":1000');
  });
});
