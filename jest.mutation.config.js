// Jest for mutation testing (`npm run test:mutation`): `npm test`'s suite except the files that only
// spawn `node` on a built copy of the project (a child process never sees Stryker's active mutant, so
// they cannot kill one in-process; and building type-checks the instrumented sources, which fails).
const path = require('node:path');
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: [
    ...(base.testPathIgnorePatterns ?? ['/node_modules/']),
    // (test/end-to-end, which only spawns the built program, is left out by the base config already.)
  ],
  // Stryker runs the tests in band inside its own worker processes.
  maxWorkers: 1,
  // Each mutant's run loads only the test files holding the tests that cover it (test/mutation/test-index.cjs).
  testEnvironment: path.join(__dirname, 'test', 'mutation', 'test-index-environment.cjs'),
  testSequencer: path.join(__dirname, 'test', 'mutation', 'covering-files-sequencer.cjs'),
};
