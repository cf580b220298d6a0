import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// Issue 6 acceptance (lifecycle): a built service started with missing or malformed variables
// exits with code 2 before doing anything, and its message names each variable and what is wrong.
const root = join(__dirname, '../../..');

function boot(service: string, env: Record<string, string>) {
  const run = spawnSync(join(root, 'node_modules/.bin/node'), [join(root, 'dist/apps', service, 'main.js')], {
    cwd: root,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, stderr: run.stderr };
}

describe('configuration is validated at boot', () => {
  it('names every missing or malformed variable and exits 2', () => {
    const { code, stderr } = boot('classifier', { DATABASE_POOL_SIZE: 'lots', LOG_LEVEL: 'loud', SHUTDOWN_TIMEOUT_MS: '-5' });
    expect(code).toBe(2);
    expect(stderr).toContain('classifier: invalid configuration');
    expect(stderr).toMatch(/DATABASE_URL: is not set/);
    expect(stderr).toMatch(/DATABASE_POOL_SIZE: /);
    expect(stderr).toMatch(/LOG_LEVEL: /);
    expect(stderr).toMatch(/SHUTDOWN_TIMEOUT_MS: /);
  });

  it('refuses a service-specific variable of ingest the same way', () => {
    const { code, stderr } = boot('ingest', { DATABASE_URL: 'postgres://incident_app@127.0.0.1:1/x', KAFKA_BROKERS: '127.0.0.1:1', SIGNAL_RATE_PER_SECOND: 'fast' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/SIGNAL_RATE_PER_SECOND: /);
  });

  it('refuses a tracing exporter it does not know, before anything loads', () => {
    const { code, stderr } = boot('correlation', { OTEL_TRACES_EXPORTER: 'jaeger' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/OTEL_TRACES_EXPORTER: "jaeger" is not an exporter/);
  });
});
