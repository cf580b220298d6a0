// The event-store migrations as one bundle, for the container image's migration Job
// (deploy/base/migrate, docker-compose's `migrate` service): `node main.js`, no tsx needed.
const { nodeApp } = require('../webpack/node-app');

module.exports = nodeApp('tools/migrate');
