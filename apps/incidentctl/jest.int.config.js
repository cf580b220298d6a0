module.exports = require('../../jest.tiers').integration(__dirname, 'incidentctl');
