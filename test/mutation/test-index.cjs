// Where each test is: during Stryker's first, unmutated run, every test's full name and file go to
// reports/mutation/test-index.json (test-index-environment.cjs); for each mutant, the sequencer
// (covering-files-sequencer.cjs) then loads only the files that hold a test covering it. Stryker runs
// the covering tests by name either way; this only spares loading every other test file for each mutant.
const path = require('node:path');

const INDEX_FILE = path.join(__dirname, '..', '..', 'reports', 'mutation', 'test-index.json');

/** Stryker's variable naming the mutant under test; unset in the first run. */
const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';

module.exports = { INDEX_FILE, ACTIVE_MUTANT };
