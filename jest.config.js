/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // Pulumi keeps runtime state on globals; jest 30 would soft-delete them between files.
  testEnvironmentOptions: { globalsCleanup: 'off' },
};
