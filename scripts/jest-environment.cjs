// The test environment of `npm test` and the other jest tiers: jest's node environment, in a worker whose
// module compiles go through a V8 code cache (scripts/jest-code-cache.cjs). Loaded once per worker process.
const vm = require('node:vm');
const { TestEnvironment } = require('jest-environment-node');
const { installCodeCache } = require('./jest-code-cache.cjs');

installCodeCache(vm);

module.exports = TestEnvironment;
