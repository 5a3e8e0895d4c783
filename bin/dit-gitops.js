#!/usr/bin/env node
// Registers tsx so the CLI, and the team definitions it loads, can be TypeScript.
require('tsx/cjs');
process.exitCode = require('../src/cli/main.ts').main(process.argv);
