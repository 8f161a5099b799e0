/**
 * Tests that run real tools built from Go modules (helm, via tools/build.sh), and the end-to-end tests that
 * run the commands on a built copy of the project (test/end-to-end: full builds, minutes of CPU):
 * `npm run test:tools`. Kept out of `npm test`, which needs no Go and stays within a minute of CPU.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/tools', '<rootDir>/test/end-to-end'],
  testPathIgnorePatterns: ['/node_modules/'],
};
