// Whole-process scenarios (child processes, real CLIs, kill and race tests): `npm run test:e2e`.
// `npm test` stays fast and runs everything else (jest.config.js).
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = { ...base, roots: ['<rootDir>/test/e2e'], testPathIgnorePatterns: [] };
