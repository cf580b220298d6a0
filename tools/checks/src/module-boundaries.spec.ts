import { spawnSync } from 'node:child_process';
import path from 'node:path';

// Lints source text as if it lived in a given project, through the workspace's real ESLint
// CLI and config, so the test fails if someone loosens the constraints in eslint.config.mjs.
// (A child process: ESLint loads its .mjs config with import(), which jest's VM cannot do.)
const workspaceRoot = path.resolve(__dirname, '../../..');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

function boundaryErrors(fileInProject: string, code: string): string[] {
  const run = spawnSync(
    path.join(workspaceRoot, 'node_modules/.bin/eslint'),
    ['--stdin', '--stdin-filename', fileInProject, '--format', 'json'],
    { cwd: workspaceRoot, input: code, encoding: 'utf8' },
  );
  const [result] = JSON.parse(run.stdout) as { messages: LintMessage[] }[];
  return result.messages
    .filter((m) => m.ruleId === '@nx/enforce-module-boundaries')
    .map((m) => m.message);
}

describe('module boundaries', () => {
  jest.setTimeout(60_000);

  it.each(['kafkajs', 'pg', 'typeorm', '@nestjs/common'])(
    'forbids the contracts lib from importing %s',
    (pkg) => {
      const errors = boundaryErrors('libs/contracts/src/probe.ts', `import * as x from '${pkg}';\nexport { x };\n`);
      expect(errors.join('\n')).toMatch(new RegExp(`not allowed to import "${pkg}"`));
    },
  );

  it.each(['kafkajs', 'pg', 'typeorm', '@nestjs/core'])(
    'forbids the classification domain lib from importing %s',
    (pkg) => {
      const errors = boundaryErrors('libs/classification/src/probe.ts', `import * as x from '${pkg}';\nexport { x };\n`);
      expect(errors.join('\n')).toMatch(new RegExp(`not allowed to import "${pkg}"`));
    },
  );

  it('forbids a domain lib from depending on a data-access lib', () => {
    const errors = boundaryErrors(
      'libs/classification/src/probe.ts',
      `import { EventStore } from '@incident/event-store';\nexport { EventStore };\n`,
    );
    expect(errors.join('\n')).toMatch(/can only depend on libs tagged with/);
  });

  it('forbids a contracts lib from depending on a data-access lib', () => {
    const errors = boundaryErrors(
      'libs/contracts/src/probe.ts',
      `import { EventStore } from '@incident/event-store';\nexport { EventStore };\n`,
    );
    expect(errors.join('\n')).toMatch(/can only depend on libs tagged with.*type:contracts/);
  });

  it('lets integration specs of a data-access lib use the testing lib, but not its production code', () => {
    const code = `import { databaseUrl } from '@incident/testing';\nexport const x = databaseUrl;\n`;
    expect(boundaryErrors('libs/messaging/src/probe.int.spec.ts', code)).toEqual([]);
    expect(boundaryErrors('libs/messaging/src/probe.ts', code).join('\n')).toMatch(/can only depend on libs tagged with/);
  });

  it('lets a data-access lib import kafkajs and the contracts', () => {
    const errors = boundaryErrors(
      'libs/messaging/src/probe.ts',
      `import { Kafka } from 'kafkajs';\nimport { Topics } from '@incident/contracts';\nexport { Kafka, Topics };\n`,
    );
    expect(errors).toEqual([]);
  });
});
