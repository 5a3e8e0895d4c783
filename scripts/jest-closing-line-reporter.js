// jest's own summary, then one plain closing line, `jest: N passed, N failed, N skipped`, for
// tools that read only the last line of CI output.
const { SummaryReporter } = require('@jest/reporters');

class ClosingLineReporter extends SummaryReporter {
  constructor(globalConfig) {
    super(globalConfig, {});
  }

  onRunComplete(contexts, results) {
    super.onRunComplete(contexts, results);
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stderr.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}

module.exports = ClosingLineReporter;
