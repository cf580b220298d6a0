// `npm test`: bring up the infrastructure, run the three jest tiers, and always stop the
// broker if (and only if) this run started it. Plain ESM so it needs nothing compiled.
// Exit code: that of the first step that failed (a later tier still runs, so one CI log
// shows every failing tier); 128+n when interrupted by a signal.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const infraEnvFile = join(root, '.cache', 'infra.env');

let current; // the step's child process, to pass a signal on to
let interrupted = 0; // exit code to use once a signal arrived

function step(title, cmd, args, env) {
  console.log(
    `\n==== ${title} ====\n$ ${[cmd, ...args].map((a) => a.replace(root + '/', '')).join(' ')}`,
  );
  const t0 = Date.now();
  return new Promise((resolve) => {
    current = spawn(cmd, args, { cwd: root, env, stdio: 'inherit' });
    current.on('error', (err) => {
      console.error(`cannot run ${cmd}: ${err.message}`);
      resolve(127);
    });
    current.on('close', (code, signal) => {
      current = undefined;
      const rc = code ?? 128 + (signal === 'SIGINT' ? 2 : 15);
      console.log(
        `==== ${title}: ${rc === 0 ? 'ok' : `FAILED (exit ${rc})`} in ${((Date.now() - t0) / 1000).toFixed(1)} s ====`,
      );
      resolve(rc);
    });
  });
}

function readInfraEnv() {
  if (!existsSync(infraEnvFile)) return {};
  const env = {};
  for (const line of readFileSync(infraEnvFile, 'utf8').split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) env[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return env;
}

for (const [sig, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(sig, () => {
    if (interrupted) return; // cleanup is already under way
    interrupted = code;
    console.error(`\n${sig}: stopping the current step, then cleaning up`);
    current?.kill(sig);
  });
}

const baseEnv = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const results = [];
let infra = {};
try {
  rmSync(infraEnvFile, { force: true }); // never read a previous run's settings
  const upRc = await step(
    'infra up',
    bin('tsx'),
    ['tools/infra/infra.ts', 'up'],
    baseEnv,
  );
  infra = readInfraEnv(); // read even on failure: `up` writes it only once it succeeded
  results.push(['infra up', upRc]);
  if (upRc === 0) {
    const env = { ...baseEnv, ...infra };
    const tiers = [
      ['unit tests', ['run-many', '-t', 'test', '--parallel=2']],
      ['integration tests', ['run-many', '-t', 'test-int', '--parallel=1']],
      ['e2e tests', ['run-many', '-t', 'test-e2e', '--parallel=1']],
    ];
    for (const [title, args] of tiers) {
      if (interrupted) break;
      results.push([title, await step(title, bin('nx'), args, env)]);
    }
  }
} finally {
  if (infra.STARTED_KAFKA === '1') {
    results.push([
      'infra down',
      await step(
        'infra down',
        bin('tsx'),
        ['tools/infra/infra.ts', 'down'],
        baseEnv,
      ),
    ]);
  }
}

console.log('\n==== summary ====');
for (const [title, rc] of results)
  console.log(
    `${rc === 0 ? 'ok    ' : 'FAILED'} ${title}${rc ? ` (exit ${rc})` : ''}`,
  );
const failed = results.find(([, rc]) => rc !== 0);
process.exit(interrupted || (failed ? failed[1] : 0));
