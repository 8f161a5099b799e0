/**
 * Tests that run real tools built from Go modules (helm, via tools/build.sh): `npm run test:tools`.
 * Kept out of `npm test`, which needs no Go.
 * @type {import('jest').Config}
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/tools'],
  testPathIgnorePatterns: ['/node_modules/'],
};
