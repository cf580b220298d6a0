import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MIGRATE, fromRoot, readText, serviceProjects, type ServiceProject } from './support/workspace';

// Images cannot be built here (no Docker engine), so the Dockerfile is checked by construction:
// what it copies exists, what it runs is what webpack writes, and the runtime is locked down.

interface Instruction {
  op: string;
  args: string;
  stage: number;
}

function parseDockerfile(text: string): Instruction[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  let stage = -1;
  return logical.map((line) => {
    const [op, ...rest] = line.split(/\s+/);
    if (op.toUpperCase() === 'FROM') stage += 1;
    return { op: op.toUpperCase(), args: rest.join(' '), stage };
  });
}

const dockerfile = parseDockerfile(readText('Dockerfile'));
const stages = Math.max(...dockerfile.map((i) => i.stage)) + 1;
const runtime = dockerfile.filter((i) => i.stage === stages - 1);
const ignored = readText('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/**
 * The webpack config as Nx evaluates it, with the Nx plugin replaced by a recorder of its
 * options. Evaluated by hand (CommonJS wrapper, relative requires such as the shared
 * tools/webpack/node-app.js followed the same way) so that jest neither transforms nor caches it.
 */
function webpackConfig(project: ServiceProject): { output: { path: string }; pluginOptions: Record<string, unknown> } {
  let pluginOptions: Record<string, unknown> = {};
  const recorder = {
    NxAppWebpackPlugin: class {
      constructor(options: Record<string, unknown>) {
        pluginOptions = options;
      }
    },
  };
  const evaluate = (file: string): unknown => {
    const fakeRequire = (id: string) => {
      if (id === 'path') return path;
      if (id === '@nx/webpack/app-plugin') return recorder;
      if (id.startsWith('.')) return evaluate(path.resolve(path.dirname(file), id.endsWith('.js') ? id : `${id}.js`));
      throw new Error(`${file} requires ${id}: teach this test about it`);
    };
    const module = { exports: {} as unknown };
    new Function('require', 'module', 'exports', '__dirname', '__filename', readFileSync(file, 'utf8'))(
      fakeRequire,
      module,
      module.exports,
      path.dirname(file),
      file,
    );
    return module.exports;
  };
  const config = evaluate(fromRoot(project.dir, project.name, 'webpack.config.js')) as { output: { path: string } };
  return { output: config.output, pluginOptions };
}

function expand(template: string, args: Record<string, string>): string {
  return template.replace(/\$\{?(\w+)\}?/g, (_, name: string) => args[name] ?? `<${name}?>`);
}

describe('Dockerfile', () => {
  it('builds on and runs a pinned Node 24 (the LTS line the workspace runs on) in every stage', () => {
    const pkg = JSON.parse(readText('package.json'));
    const workspaceMajor = /(\d+)/.exec(pkg.engines.node)?.[1];
    const images = dockerfile.filter((i) => i.op === 'FROM').map((i) => i.args.split(/\s+/)[0]);
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) {
      const m = /^node:(\d+)\.(\d+)\.(\d+)-(bookworm|trixie)-slim$/.exec(image);
      expect(m).not.toBeNull(); // a full version: a rebuild gives the same runtime
      expect(m?.[1]).toBe(workspaceMajor);
      expect(Number(m?.[1]) % 2).toBe(0); // even majors are the LTS lines
    }
    // The same Node as the one the workspace pins for itself.
    expect(images[0]).toMatch(new RegExp(`^node:${pkg.devDependencies.node.replace(/^[\^~]/, '').replace(/\./g, '\\.')}-`));
  });

  it('copies only files that exist in the repository and that .dockerignore lets through', () => {
    const copies = dockerfile.filter((i) => i.op === 'COPY' && !i.args.includes('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        expect({ source, exists: existsSync(fromRoot(source)) }).toEqual({ source, exists: true });
        const top = source.replace(/\/$/, '').split('/')[0];
        expect({ source, ignoredBy: ignored.filter((p) => p.replace(/\/$/, '') === top) }).toEqual({ source, ignoredBy: [] });
      }
    }
  });

  it('runs as a numeric non-root user, with no HEALTHCHECK (Kubernetes probes do that)', () => {
    expect(dockerfile.some((i) => i.op === 'HEALTHCHECK')).toBe(false);
    const user = runtime.filter((i) => i.op === 'USER').pop()?.args;
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user?.split(':')[0])).toBeGreaterThan(0);
  });

  it('installs only production dependencies in the runtime stage and starts main.js with node', () => {
    const runs = runtime.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
    expect(runtime.filter((i) => i.op === 'CMD').pop()?.args).toBe('["node", "main.js"]');
  });

  it.each([...serviceProjects(), MIGRATE].map((p) => [p.name, p] as const))(
    'copies the directory webpack writes for %s, with its generated package.json',
    (_name, project) => {
      const { output, pluginOptions } = webpackConfig(project);
      const copy = runtime.find((i) => i.op === 'COPY' && i.args.includes('--from=build'));
      const source = copy?.args.split(/\s+/).filter((p) => !p.startsWith('--'))[0] ?? '';
      const workdir = dockerfile.find((i) => i.stage === 0 && i.op === 'WORKDIR')?.args ?? '';
      const copied = path.posix.relative(workdir, expand(source, { APP_DIR: project.dir, SERVICE: project.name }));
      expect(copied).toBe(path.relative(fromRoot(), output.path));
      expect(pluginOptions).toMatchObject({ target: 'node', generatePackageJson: true });
      expect(existsSync(fromRoot(project.dir, project.name, String(pluginOptions['main'])))).toBe(true);
      // The build stage checks for exactly this file after `nx build`.
      expect(readFileSync(fromRoot('Dockerfile'), 'utf8')).toContain('test -f "dist/$APP_DIR/$SERVICE/main.js"');
    },
  );
});
