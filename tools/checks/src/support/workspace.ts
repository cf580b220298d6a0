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
    .filter((name) => existsSync(fromRoot('apps', name, 'webpack.config.js')))
    .sort()
    .map((name) => ({ name, dir: 'apps' as const }));
}

export const MIGRATE: ServiceProject = { name: 'migrate', dir: 'tools' };
