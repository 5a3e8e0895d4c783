// jest's order, slowest file first by the durations it recorded last run, and in a checkout
// where it has none (CI's fresh clone) the slow files listed here first: jest's fallback, file
// size, started test/cli/import.test.ts last in the fast suite and scaffold-integrity.test.ts
// eighth in the e2e one, so one worker ran on alone for their length at the end.
// Slowest first, measured 2 December 2026 (wall seconds, 2 workers); the order only matters.
const path = require('path');
const Sequencer = require('@jest/test-sequencer').default;

const SLOW = [
  'test/e2e/scaffold-integrity.test.ts', // 225
  'test/e2e/reviewer-cli.test.ts', // 88
  'test/e2e/synth-commands.test.ts', // 86
  'test/e2e/verify.test.ts', // 69
  'test/e2e/render.test.ts', // 50
  'test/e2e/stale-digest.test.ts', // 42
  'test/e2e/import-compose.test.ts', // 33
  'test/e2e/yaml-emitter.test.ts', // 32
  'test/e2e/pending-release.test.ts', // 27
  'test/e2e/charts-library.test.ts', // 25
  'test/cli/import.test.ts', // 17
  'test/compose/compose-runs.test.ts', // 8
  'test/tree/tree-writer.test.ts', // 5
  'test/app/fast-path.test.ts', // 4
  'test/app/bad-input.test.ts', // 4
];

class SlowFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((test) => test.duration != null)) return sorted;
    const rank = (test) => {
      const index = SLOW.indexOf(path.relative(test.context.config.rootDir, test.path).split(path.sep).join('/'));
      return index < 0 ? SLOW.length : index;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
