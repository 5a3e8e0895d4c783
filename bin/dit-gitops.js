#!/usr/bin/env node
// Installed, the package runs its compiled library (lib/, built by `npm pack`); in this
// repository, where src/ is the truth and lib/ may be stale, it runs src/ through tsx.
// Installed, tsx is registered only when the team's TypeScript definitions load
// (src/cli/definitions.ts): registered first, it hooked every require of the compiled library.
const fs = require('fs');
const path = require('path');

const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
const compiled = path.join(__dirname, '..', 'lib', 'src', 'cli', 'main.js');
const fromSource = fs.existsSync(source) || !fs.existsSync(compiled);
if (fromSource) require('tsx/cjs');
process.exitCode = require(fromSource ? source : compiled).main(process.argv);
