// Whole-process scenarios (child processes, real CLIs, kill and race tests): `npm run test:e2e`.
// `npm test` stays fast and runs everything else (jest.config.js).
const base = require('./jest.config');

/** @type {import('jest').Config} */
// One worker: the kill and race scenarios time their own processes.
module.exports = { ...base, maxWorkers: 1, roots: ['<rootDir>/test/e2e'], testPathIgnorePatterns: [] };
