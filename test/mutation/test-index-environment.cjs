// The test environment of mutation runs (jest.mutation.config.js): jest's node environment, which
//  - in Stryker's first, unmutated run, records the file of every test (see test-index.cjs);
//  - in a mutant's run, skips every test after the first that fails: the mutant is killed by then, which
//    is all Stryker reports (jest's own --bail cannot be set when Stryker runs it);
//  - at the end of each test file, disables the AsyncLocalStorage instances enabled while it ran.
//    Each test file's module registry loads its own @pulumi/pulumi, whose AsyncLocalStorage stays
//    enabled in the process for good, and every promise created afterwards visits every enabled one:
//    over hundreds of mutant runs in one worker, that grew to half of all time, and most of the heap.
const fs = require('node:fs');
const path = require('node:path');
const { AsyncLocalStorage } = require('node:async_hooks');
const { TestEnvironment } = require('jest-environment-node');
const { INDEX_FILE, ACTIVE_MUTANT } = require('./test-index.cjs');

/** AsyncLocalStorage instances enabled since the current test file started. */
const storages = new Set();
const ENABLE = AsyncLocalStorage.prototype._enable;
if (typeof ENABLE === 'function' && !ENABLE.trackedForTeardown) {
  // Node's (internal) method that puts an instance on the process's list of storages to propagate.
  const tracked = function _enable() {
    storages.add(this);
    return ENABLE.call(this);
  };
  tracked.trackedForTeardown = true;
  AsyncLocalStorage.prototype._enable = tracked;
}

/** Test full name → the test files holding a test of that name, for this process's first run. */
const index = new Map();
/** The mutant whose run has had a failing test. */
let killed;

/** The name jest's testNamePattern and Stryker's test ids use: the describe blocks' names and the test's, by spaces. */
function fullName(test) {
  const names = [];
  for (let block = test.parent; block?.parent; block = block.parent) names.unshift(block.name);
  return [...names, test.name].join(' ');
}

class TestIndexEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
    storages.clear();
  }

  async handleTestEvent(event) {
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) {
      if (event.name !== 'test_start') return;
      const name = fullName(event.test);
      index.set(name, [...new Set([...(index.get(name) ?? []), this.testPath])]);
    } else if (event.name === 'test_start' && killed === mutant) {
      // jest-circus checks the mode right after this event: the test is reported as skipped.
      event.test.mode = 'skip';
    } else if (event.name === 'test_done' && event.test.errors.length > 0) {
      killed = mutant;
    }
  }

  async teardown() {
    if (process.env[ACTIVE_MUTANT] === undefined && index.size > 0) {
      fs.mkdirSync(path.dirname(INDEX_FILE), { recursive: true });
      fs.writeFileSync(INDEX_FILE, JSON.stringify(Object.fromEntries(index)));
    }
    for (const storage of storages) storage.disable();
    storages.clear();
    await super.teardown();
  }
}

module.exports = TestIndexEnvironment;
