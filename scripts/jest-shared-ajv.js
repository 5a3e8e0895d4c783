// `ajv` in a jest test file: the one of this worker (scripts/jest-environment.js).
module.exports = globalThis.__ditSharedModule('ajv');
