// The three test tiers (STYLE.md 12), told apart by file suffix:
//   *.spec.ts      pure, no IO            -> `nx test`      (jest.config.js)
//   *.int.spec.ts  real Postgres + Kafka  -> `nx test-int`  (jest.int.config.js)
//   *.e2e.spec.ts  the running services   -> `nx test-e2e`  (jest.e2e.config.js)
const path = require('node:path');
const nxPreset = require('@nx/jest/preset').default;

function base(dir, name) {
  return {
    ...nxPreset,
    displayName: name,
    rootDir: dir,
    testEnvironment: 'node',
    transform: {
      '^.+\\.[tj]s$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
    },
    moduleFileExtensions: ['ts', 'js'],
    coverageDirectory: path.join(__dirname, 'coverage', path.relative(__dirname, dir)),
  };
}

module.exports = {
  unit: (dir, name) => ({
    ...base(dir, name),
    testMatch: ['<rootDir>/src/**/*.spec.ts'],
    testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$'],
    // A project whose logic is all exercised in the integration tier (a thin app) has no unit
    // specs; that is not a failure. The integration and e2e tiers keep jest's default.
    passWithNoTests: true,
  }),
  integration: (dir, name) => ({
    ...base(dir, `${name}:int`),
    testMatch: ['<rootDir>/src/**/*.int.spec.ts'],
    testTimeout: 60_000,
  }),
  e2e: (dir, name) => ({
    ...base(dir, `${name}:e2e`),
    testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
    testTimeout: 120_000,
  }),
};
