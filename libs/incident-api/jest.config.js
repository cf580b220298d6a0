module.exports = require('../../jest.tiers').unit(__dirname, 'incident-api');
