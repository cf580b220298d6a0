module.exports = require('../../jest.tiers').unit(__dirname, 'telemetry');
