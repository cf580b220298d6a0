const { nodeApp } = require('../../tools/webpack/node-app');

// One file, dist/apps/incidentctl/main.js, that bin/incidentctl.js runs. Packages stay external
// (required from node_modules at run time), as for the services.
module.exports = nodeApp('apps/incidentctl', {
  generatePackageJson: false,
  // incident-api's index also exports its NestJS controllers and module, which the CLI never uses
  // but which would load @nestjs/* and swagger at every start (about 0.4 s). Its modules only
  // define things, so they are declared side-effect free and webpack leaves out the unused ones;
  // that needs ES modules from tsc (tsconfig.app.json: "module": "esnext").
  module: {
    rules: [{ test: /[\\/]libs[\\/]incident-api[\\/]src[\\/]/, sideEffects: false }],
  },
  optimization: { sideEffects: true, usedExports: true, providedExports: true },
});
