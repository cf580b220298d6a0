import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fromRoot, workspaceRoot } from './workspace';

/** A rendered Kubernetes object, loosely typed: the specs read the fields they check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KubeObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; [key: string]: any };

export interface ValidationResult {
  target: string;
  objects: KubeObject[];
  problems: { object: string; message: string }[];
}

export interface ValidationReport {
  schemas: { kubernetes: string; package: string };
  tools?: { kubectl?: string; kustomize?: string };
  results: ValidationResult[];
}

const SCRIPT = fromRoot('tools/checks/src/kube/validate-manifests.mjs');

/**
 * Runs tools/checks/src/kube/validate-manifests.mjs (render with `kubectl kustomize`, validate
 * offline) in a child process: kubernetes-models is ESM only, which jest's CommonJS runtime
 * cannot import. Paths are relative to the workspace root.
 */
export function validate(...targets: string[]): ValidationReport {
  const node = existsSync(fromRoot('node_modules/.bin/node')) ? fromRoot('node_modules/.bin/node') : process.execPath;
  const run = spawnSync(node, [SCRIPT, '--json', ...targets], { cwd: workspaceRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0 && run.status !== 1) throw new Error(`validate-manifests.mjs exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as ValidationReport;
}

export const OVERLAYS = readdirSync(fromRoot('deploy/overlays')).sort();

export const overlayPath = (name: string) => `deploy/overlays/${name}`;

export function byKind(objects: KubeObject[], kind: string): KubeObject[] {
  return objects.filter((o) => o.kind === kind);
}

export function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return true;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
