/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // test/cluster/ needs a Go-built API server: `npm run test:cluster` runs it (jest.cluster.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/cluster/'],
  transform: { '^.+\\.ts$': '<rootDir>/scripts/jest-esbuild-transform.js' },
  // Pulumi keeps runtime state on globals; jest 30 would soft-delete them between files.
  testEnvironmentOptions: { globalsCleanup: 'off' },
  // Jest defaults to one worker fewer than the cores: on these 2-core machines that is one worker.
  maxWorkers: '100%',
};
