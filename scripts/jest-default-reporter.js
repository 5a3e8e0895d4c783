// jest's per-test reporter, listed by path in jest.config.js: naming 'default' there would
// add jest's summary after the closing line.
module.exports = require('@jest/reporters').DefaultReporter;
