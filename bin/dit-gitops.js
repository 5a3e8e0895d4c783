#!/usr/bin/env node
// Installed, the package runs its compiled library (lib/, built by `npm pack`); in this
// repository, where src/ is the truth and lib/ may be stale, it runs src/ through tsx.
// Either way tsx is registered so the team's definitions (src/main.ts) can be TypeScript:
// tsx compiles .ts files only, the compiled library loads as plain JavaScript.
const fs = require('fs');
const path = require('path');

const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
const compiled = path.join(__dirname, '..', 'lib', 'src', 'cli', 'main.js');
require('tsx/cjs');
process.exitCode = require(fs.existsSync(source) || !fs.existsSync(compiled) ? source : compiled).main(process.argv);
