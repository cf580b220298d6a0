const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
const { join } = require('path');

// One file, dist/apps/incidentctl/main.js, that bin/incidentctl.js runs. Packages stay external
// (required from node_modules at run time), as for the services.
module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/incidentctl'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  // incident-api's index also exports its NestJS controllers and module, which the CLI never uses
  // but which would load @nestjs/* and swagger at every start (about 0.4 s). Its modules only
  // define things, so they are declared side-effect free and webpack leaves out the unused ones;
  // that needs ES modules from tsc (tsconfig.app.json: "module": "esnext").
  module: {
    rules: [{ test: /[\\/]libs[\\/]incident-api[\\/]src[\\/]/, sideEffects: false }],
  },
  optimization: { sideEffects: true, usedExports: true, providedExports: true },
  plugins: [
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      assets: [],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: false,
      sourceMap: true,
    }),
  ],
};
