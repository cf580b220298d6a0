import { loadServiceConfig } from './service-config';

describe('loadServiceConfig', () => {
  const env = { DATABASE_URL: 'postgres://incident_app@127.0.0.1:5432/incidents' };

  it('uses the service default port unless <SERVICE>_PORT or HTTP_PORT says otherwise', () => {
    expect(loadServiceConfig('ingest', 8080, env).http.port).toBe(8080);
    expect(loadServiceConfig('ingest', 8080, { ...env, INGEST_PORT: '9000' }).http.port).toBe(9000);
    expect(loadServiceConfig('ingest', 8080, { ...env, HTTP_PORT: '9100' }).http.port).toBe(9100);
  });

  it('names every missing or bad variable at once', () => {
    let message = '';
    try {
      loadServiceConfig('classifier', 8081, { NODE_ENV: 'prod', CLASSIFIER_PORT: '99999' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/- DATABASE_URL: is not set/);
    expect(message).toMatch(/- NODE_ENV: /);
    expect(message).toMatch(/- CLASSIFIER_PORT: /);
  });
});
