// The test sequencer of mutation runs (jest.mutation.config.js): when Stryker runs the tests covering a
// mutant (jest's testNamePattern), only the files holding such a test are loaded; jest would otherwise
// load every file and skip its tests one by one. Without a pattern, or a test the index does not place,
// every file runs. See test-index.cjs.
const fs = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;
const { INDEX_FILE } = require('./test-index.cjs');

class CoveringFilesSequencer extends Sequencer {
  constructor(options) {
    super(options);
    this.pattern = options.globalConfig.testNamePattern;
  }

  sort(tests) {
    const sorted = super.sort(tests);
    if (!this.pattern) return sorted;
    let index;
    try {
      index = JSON.parse(fs.readFileSync(INDEX_FILE, 'utf8'));
    } catch {
      return sorted;
    }
    // jest matches testNamePattern case-insensitively against each test's full name.
    const pattern = new RegExp(this.pattern, 'i');
    const files = new Set(Object.entries(index).filter(([name]) => pattern.test(name)).flatMap(([, paths]) => paths));
    // Smallest files first: the focused tests of one rule, which kill its mutants soonest (then the
    // environment skips the rest).
    const size = (test) => fs.statSync(test.path).size;
    const covering = sorted.filter((test) => files.has(test.path)).sort((a, b) => size(a) - size(b) || a.path.localeCompare(b.path));
    return covering.length > 0 ? covering : sorted;
  }
}

module.exports = CoveringFilesSequencer;
