module.exports = require('../../jest.tiers').unit(__dirname, 'signal-intake');
