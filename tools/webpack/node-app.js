const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

/**
 * The webpack configuration every Node entry point of the workspace shares (the five services,
 * incidentctl, the migration bundle): one bundle of the project's TypeScript at `dist/<outDir>`,
 * npm packages left external and required from node_modules at run time. Each project's
 * webpack.config.js names its output and what it adds, so Nx still infers its build target there.
 */
function nodeApp(outDir, { generatePackageJson = true, ...extra } = {}) {
  return {
    output: {
      path: join(__dirname, '../../dist', outDir),
      clean: true,
      ...(process.env.NODE_ENV !== 'production' && {
        devtoolModuleFilenameTemplate: '[absolute-resource-path]',
      }),
    },
    ...extra,
    plugins: [
      new NxAppWebpackPlugin({
        target: 'node',
        compiler: 'tsc',
        main: './src/main.ts',
        tsConfig: './tsconfig.app.json',
        assets: [],
        optimization: false,
        outputHashing: 'none',
        generatePackageJson,
        sourceMap: true,
      }),
    ],
  };
}

module.exports = { nodeApp };
