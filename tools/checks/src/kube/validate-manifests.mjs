// Renders Kustomize directories and validates every object against the Kubernetes API schemas,
// offline. `node tools/checks/src/kube/validate-manifests.mjs [--json] <dir | file.yaml>...`
//   - a directory is rendered with `kubectl kustomize` (the kustomize built into kubectl; set
//     KUBECTL to use another binary), a file is read as it is;
//   - each object is checked by the validators of the `kubernetes-models` package, generated
//     from the Kubernetes 1.36 OpenAPI document and shipped inside the package: nothing is
//     fetched at run time;
//   - its apiVersion must be one that Kubernetes 1.36 serves (the package also keeps models of
//     removed versions such as batch/v1beta1 for old clusters; a current cluster rejects those).
// Exit 0 when every object is valid, 1 otherwise. `--json` prints the objects and the problems,
// for tools/checks' specs. Plain ESM because kubernetes-models ships ESM only.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';

export const SCHEMA_VERSION = '1.36.0';

// GA group versions served by Kubernetes 1.36 that a workload's manifests may use.
const SERVED = new Set([
  'v1',
  'apps/v1',
  'batch/v1',
  'policy/v1',
  'autoscaling/v1',
  'autoscaling/v2',
  'networking.k8s.io/v1',
  'rbac.authorization.k8s.io/v1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'node.k8s.io/v1',
  'admissionregistration.k8s.io/v1',
  'apiextensions.k8s.io/v1',
]);

const kubectl = process.env.KUBECTL || 'kubectl';

function render(dir) {
  const run = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.error) {
    const hint = run.error.code === 'ENOENT' ? ' (install kubectl, which embeds kustomize, or set KUBECTL)' : '';
    throw new Error(`cannot run ${kubectl}: ${run.error.message}${hint}`);
  }
  if (run.status !== 0) throw new Error(`${kubectl} kustomize ${dir} failed: ${run.stderr.trim()}`);
  return run.stdout;
}

function kubectlVersion() {
  const run = spawnSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  try {
    const v = JSON.parse(run.stdout);
    return { kubectl: v.clientVersion?.gitVersion, kustomize: v.kustomizeVersion };
  } catch {
    return undefined;
  }
}

function modelsVersion() {
  // The package's exports map hides package.json; read it next to its resolved entry instead.
  const pkg = new URL('./package.json', import.meta.resolve('kubernetes-models'));
  return JSON.parse(readFileSync(pkg, 'utf8')).version;
}

const modules = new Map();
async function modelFor(apiVersion, kind) {
  if (!modules.has(apiVersion)) {
    modules.set(apiVersion, await import(`kubernetes-models/${apiVersion}`).catch(() => undefined));
  }
  const model = modules.get(apiVersion)?.[kind];
  return typeof model === 'function' && model.kind === kind ? model : undefined;
}

function describe(obj) {
  const ns = obj?.metadata?.namespace ? `${obj.metadata.namespace}/` : '';
  return `${obj?.kind ?? '?'} ${ns}${obj?.metadata?.name ?? '?'}`;
}

async function validateObject(obj) {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return ['is not a mapping'];
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return ['apiVersion and kind must be strings'];
  if (!SERVED.has(apiVersion)) return [`apiVersion ${apiVersion} is not served by Kubernetes ${SCHEMA_VERSION} (or not a built-in API)`];
  const Model = await modelFor(apiVersion, kind);
  if (!Model) return [`${apiVersion} has no kind ${kind}`];
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    const details = error?.errors;
    if (!Array.isArray(details)) return [String(error?.message ?? error)];
    return details.map((d) => `${d.instancePath || '/'} ${d.message ?? d.keyword}${d.params?.allowedValues ? ` (${d.params.allowedValues.join(', ')})` : ''}`);
  }
}

/** Validates one rendered directory or file; never throws for a bad manifest. */
export async function validateTarget(target) {
  const result = { target, objects: [], problems: [] };
  let text;
  try {
    text = statSync(target).isDirectory() ? render(target) : readFileSync(target, 'utf8');
  } catch (error) {
    result.problems.push({ object: target, message: error.message });
    return result;
  }
  const seen = new Set();
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      result.problems.push({ object: target, message: `YAML: ${doc.errors[0].message}` });
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue;
    result.objects.push(obj);
    const id = `${obj.apiVersion}/${describe(obj)}`;
    if (seen.has(id)) result.problems.push({ object: describe(obj), message: 'defined twice' });
    seen.add(id);
    for (const message of await validateObject(obj)) result.problems.push({ object: describe(obj), message });
  }
  if (result.objects.length === 0 && result.problems.length === 0) result.problems.push({ object: target, message: 'no objects' });
  return result;
}

async function main(argv) {
  const json = argv.includes('--json');
  const targets = argv.filter((a) => a !== '--json');
  if (targets.length === 0) {
    process.stderr.write('usage: validate-manifests.mjs [--json] <kustomization dir | file.yaml>...\n');
    return 2;
  }
  const results = [];
  for (const target of targets) results.push(await validateTarget(target));
  const schemas = { kubernetes: SCHEMA_VERSION, package: `kubernetes-models@${modelsVersion()}` };
  if (json) {
    process.stdout.write(JSON.stringify({ schemas, tools: kubectlVersion(), results }) + '\n');
  } else {
    for (const r of results) {
      const status = r.problems.length === 0 ? 'ok' : 'INVALID';
      process.stdout.write(`${status}  ${r.target}: ${r.objects.length} objects (Kubernetes ${schemas.kubernetes} schemas, ${schemas.package})\n`);
      for (const p of r.problems) process.stdout.write(`        ${p.object}: ${p.message}\n`);
    }
  }
  return results.every((r) => r.problems.length === 0) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`${error?.stack ?? error}\n`);
      process.exit(2);
    },
  );
}
