import { existsSync } from 'node:fs';
import { fromRoot, readText, serviceProjects } from './support/workspace';

// OpenTelemetry patches http, express, pg and kafkajs as they are required: a service whose
// tracing starts after one of them was loaded traces nothing of it, silently.
const apps = serviceProjects().filter((p) => p.dir === 'apps');

describe('tracing starts before anything else in every service', () => {
  it.each(apps.map((p) => p.name))('%s: main.ts imports ./tracing first, and it starts tracing under the service name', (name) => {
    const main = readText(`apps/${name}/src/main.ts`);
    const firstImport = /^import\s+[^;]+;/m.exec(main)?.[0];
    expect(firstImport).toBe("import './tracing';");
    expect(existsSync(fromRoot('apps', name, 'src', 'tracing.ts'))).toBe(true);
    expect(readText(`apps/${name}/src/tracing.ts`)).toContain(`bootTracing('${name}')`);
  });
});
