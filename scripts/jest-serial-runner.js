// jest's own runner, in band: the files of a project that names this runner run one at a time,
// in the jest process, after the files of the other projects (jest runs one runner after the
// other). jest.e2e.config.js gives it the scenarios that time their own processes.
const TestRunner = require('jest-runner').default;

class SerialRunner extends TestRunner {
  isSerial = true;
}

module.exports = SerialRunner;
