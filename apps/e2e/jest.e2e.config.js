const path = require('node:path');

// The stack (the built services, as processes) is started once for the whole tier.
module.exports = {
  ...require('../../jest.tiers').e2e(__dirname, 'e2e'),
  globalSetup: path.join(__dirname, 'src/support/global-setup.mjs'),
  globalTeardown: path.join(__dirname, 'src/support/global-teardown.mjs'),
};
