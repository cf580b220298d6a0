import nx from '@nx/eslint-plugin';

// Infrastructure a pure library must never reach for: domain and contract code stays
// framework-free so that decisions can be replayed without IO (DESIGN.md, STYLE.md 1 and 10).
const infrastructure = [
  '@nestjs/*',
  'kafkajs',
  'pg',
  'pg-*',
  'typeorm',
  'express',
  '@opentelemetry/*',
];

function boundaries({ inTests }) {
  const testing = inTests ? ['type:testing'] : [];
  return {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$', '^.*/jest\\.tiers$', '^.*/tools/stack/stack\\.mjs$'],
    depConstraints: [
      { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: infrastructure },
      { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'], bannedExternalImports: infrastructure },
      { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', ...testing] },
      { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts'] },
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:data-access', 'type:domain', 'type:contracts', 'type:testing'] },
      { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing'] },
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:incidents', onlyDependOnLibsWithTags: ['scope:shared', 'scope:incidents'] },
    ],
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/out-tsc', '**/.cache', 'tmp'] },
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries({ inTests: false })] },
  },
  {
    // Integration and e2e specs (and their support folders) may use the shared test helpers;
    // production code of a data-access lib may not.
    files: ['**/*.int.spec.ts', '**/*.e2e.spec.ts', '**/int-support/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', boundaries({ inTests: true })] },
  },
  {
    // Build configuration, not code of the project: every entry point's webpack.config.js shares
    // tools/webpack/node-app.js, which is no project to import through a path alias.
    files: ['**/webpack.config.js'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];
