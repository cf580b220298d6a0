module.exports = require('../../jest.tiers').integration(__dirname, 'ingest');
