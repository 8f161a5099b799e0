// The test sequencer of mutation runs (jest.mutation.config.js): when Stryker runs the tests covering a
// mutant (jest's testNamePattern), only the files holding such a test are loaded; jest would otherwise
// load every file and skip its tests one by one. Without a pattern, or a test the index does not place,
// every file runs. See test-index.cjs.
const fs = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const { INDEX_FILE } = require('./test-index.cjs');

const ROOT = path.resolve(__dirname, '..', '..');
let kills;
/** Test file (relative) -> how many mutants its tests killed first in the recorded results; read once per process. */
function killsByFile() {
  if (kills) return kills;
  kills = new Map();
  try {
    const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'stryker.config.json'), 'utf8'));
    const recorded = JSON.parse(fs.readFileSync(path.join(ROOT, config.incrementalFile), 'utf8'));
    const fileOf = new Map();
    for (const [file, { tests }] of Object.entries(recorded.testFiles ?? {})) for (const t of tests) fileOf.set(t.id, path.relative(ROOT, path.resolve(ROOT, file)));
    for (const { mutants } of Object.values(recorded.files ?? {})) {
      for (const m of mutants) {
        const file = m.status === 'Killed' ? fileOf.get((m.killedBy ?? [])[0]) : undefined;
        if (file) kills.set(file, (kills.get(file) ?? 0) + 1);
      }
    }
  } catch {
    // No recorded results yet: size alone orders the files.
  }
  return kills;
}

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
    // The files that killed the most mutants in the recorded results first (the focused tests of the rules
    // and the plan), then the smallest: a mutant is most likely killed soonest (then the environment skips
    // the rest). Only the order changes; every covering file still runs until one fails.
    const kills = killsByFile();
    const size = (test) => fs.statSync(test.path).size;
    const killed = (test) => kills.get(path.relative(ROOT, test.path)) ?? 0;
    const covering = sorted.filter((test) => files.has(test.path))
      .sort((a, b) => killed(b) - killed(a) || size(a) - size(b) || a.path.localeCompare(b.path));
    return covering.length > 0 ? covering : sorted;
  }
}

module.exports = CoveringFilesSequencer;
