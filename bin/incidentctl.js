#!/usr/bin/env node
// `incidentctl`, the workspace's bin (package.json "bin"). It runs the webpack build,
// dist/apps/incidentctl/main.js (`npx nx build incidentctl`), when there is one. Without a build,
// or with INCIDENTCTL_FROM_SOURCE=1, it runs the TypeScript source through tsx instead: no build
// step while developing, at the cost of a slower start. Either way it needs Node 24 and the
// workspace's node_modules (packages stay external to the bundle).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const built = join(root, 'dist', 'apps', 'incidentctl', 'main.js');

if (existsSync(built) && process.env.INCIDENTCTL_FROM_SOURCE !== '1') {
  require(built);
} else {
  // tsx reads the path aliases (@incident/*) and the decorator settings the libraries need from the
  // workspace's tsconfig (an app's tsconfig would apply them to the app's own files only).
  process.env.TSX_TSCONFIG_PATH = join(root, 'tsconfig.base.json');
  require('tsx/cjs/api').register();
  require(join(root, 'apps', 'incidentctl', 'src', 'main.ts'));
}
