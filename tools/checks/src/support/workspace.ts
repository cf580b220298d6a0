import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const workspaceRoot = path.resolve(__dirname, '../../../..');

export const fromRoot = (...parts: string[]) => path.join(workspaceRoot, ...parts);

export const readText = (relative: string) => readFileSync(fromRoot(relative), 'utf8');

/** A deployable service: a project with a webpack bundle under apps/ (or tools/migrate). */
export interface ServiceProject {
  name: string;
  /** apps or tools: the Dockerfile's APP_DIR. */
  dir: 'apps' | 'tools';
}

/** Every app under apps/ that webpack bundles is a service image; e2e has no bundle. */
export function serviceProjects(): ServiceProject[] {
  return readdirSync(fromRoot('apps'))
    // A service is an app that starts through the runtime's startService (HTTP, probes, config at
    // boot); a bundled CLI such as incidentctl is not deployed and has no port.
    .filter((name) => existsSync(fromRoot('apps', name, 'webpack.config.js')))
    .filter((name) => startsAService(name))
    .sort()
    .map((name) => ({ name, dir: 'apps' as const }));
}

function startsAService(app: string): boolean {
  const main = fromRoot('apps', app, 'src', 'main.ts');
  return existsSync(main) && readFileSync(main, 'utf8').includes('startService(');
}

export const MIGRATE: ServiceProject = { name: 'migrate', dir: 'tools' };
