// Ends a jest run with one plain line, `jest: N passed, N failed, N skipped` (on stderr, after jest's own summary), that tools
// reading only the last line of CI output understand.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stderr.write(`jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
