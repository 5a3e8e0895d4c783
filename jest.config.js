/** @type {import('jest').Config} */
module.exports = {
  // jest's node environment; a worker's test files share TypeScript, ajv and the schemas ajv
  // compiled (scripts/jest-environment.js).
  testEnvironment: '<rootDir>/scripts/jest-environment.js',
  // Jest's default is one worker per core but one; on CI's two cores both halve the wall time.
  maxWorkers: '100%',
  // Slowest first, also where jest has no durations of a last run (scripts/jest-sequencer.js).
  testSequencer: '<rootDir>/scripts/jest-sequencer.js',
  reporters: ['<rootDir>/scripts/jest-default-reporter.js', '<rootDir>/scripts/jest-closing-line-reporter.js'],
  roots: ['<rootDir>/test'],
  // test/e2e holds the whole-process scenarios: `npm run test:e2e` (jest.e2e.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // What users import, resolved to the sources (tsconfig.json has the same paths).
  moduleNameMapper: {
    '^dit-gitops$': '<rootDir>/src',
    '^dit-gitops/testing$': '<rootDir>/src/testing',
    '^(typescript|ajv|ajv-formats)$': '<rootDir>/scripts/jest-shared-$1.js',
  },
};
