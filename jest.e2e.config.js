// Whole-process scenarios (child processes, real CLIs, kill and race tests): `npm run test:e2e`.
// `npm test` stays fast and runs everything else (jest.config.js).
const { reporters, testSequencer, maxWorkers: _all, roots: _fast, testPathIgnorePatterns: _e2e, ...base } = require('./jest.config');

// The kill and race scenarios time their own processes and race them: they run alone, one at
// a time, once the others are done (scripts/jest-serial-runner.js).
const SERIAL = ['<rootDir>/test/e2e/kill.test.ts', '<rootDir>/test/e2e/concurrency.test.ts'];
const e2e = { ...base, roots: ['<rootDir>/test/e2e'] };

/** @type {import('jest').Config} */
module.exports = {
  reporters,
  testSequencer,
  // Every other scenario spawns its own processes and waits on them: two workers fill two cores.
  maxWorkers: 2,
  projects: [
    { ...e2e, displayName: 'e2e', testPathIgnorePatterns: SERIAL },
    { ...e2e, displayName: 'e2e serial', runner: '<rootDir>/scripts/jest-serial-runner.js', testMatch: SERIAL },
  ],
};
