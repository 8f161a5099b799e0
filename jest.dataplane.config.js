// The data-plane tier (`npm run test:dataplane`): real Apache Kafka at each USDF environment's kafka.version (jars
// from Maven Central, Java 17), real Kafka clients, one real alert from lsst-alert-packet (PyPI). Kept out of
// `npm test`, which needs neither Java nor Maven. Its globalSetup fetches what it runs (tools/dataplane.sh,
// cached) before any test's timeout starts.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/dataplane'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: '<rootDir>/test/dataplane/prepare.ts',
  // One Kafka cluster at a time: three brokers and their clients already fill two cores.
  maxWorkers: 1,
  testTimeout: 300_000,
};
