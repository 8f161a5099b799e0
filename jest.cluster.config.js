// The cluster tier (`npm run test:cluster`): tests against a real kube-apiserver built from the
// Go modules pinned in tools/kube-apiserver/. Kept out of `npm test`, which stays fast and needs no Go.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/cluster'],
  testPathIgnorePatterns: ['/node_modules/'],
  transform: { '^.+\\.(ts|js)$': '<rootDir>/scripts/jest-esbuild-transform.js' },
  // @kubernetes/client-node and some of its dependencies ship only ES modules.
  transformIgnorePatterns: ['/node_modules/(?!(@kubernetes/client-node|openid-client|oauth4webapi|jose)/)'],
  // Stops at once, naming the command that builds them, when the Go tools the tier runs are not built (it builds nothing).
  globalSetup: '<rootDir>/test/cluster/build-api-server.js',
  // One API server per test file (on a port of its own), started and stopped by the file; two files at a time.
  // Much of the tier is waiting (sync-waves waits out the sync timeouts of its failure cases), so on 2 cores two
  // workers take about 150 s where one took 260 s (two runs each, 2026-12-08, all passing).
  maxWorkers: 2,
  testTimeout: 300_000,
};
