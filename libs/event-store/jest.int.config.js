module.exports = require('../../jest.tiers').integration(__dirname, 'event-store');
