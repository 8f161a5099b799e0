// A Stryker reporter that writes each surviving (or uncovered, or timed-out) mutant to
// reports/mutation/survivors.txt the moment it is tested, so a long run's survivors can be read, and
// tests written for them, before the run ends (Stryker's own reports come only at the end).
// Results an incremental run reuses are reported too, right after the first, unmutated run.
const fs = require('node:fs');
const path = require('node:path');

const FILE = path.join(__dirname, '..', '..', 'reports', 'mutation', 'survivors.txt');
const LISTED = new Set(['Survived', 'NoCoverage', 'Timeout']);

const reporter = {
  onDryRunCompleted() {
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    fs.writeFileSync(FILE, '');
  },
  onMutantTested(result) {
    if (!LISTED.has(result.status)) return;
    const { line, column } = result.location.start;
    const replacement = JSON.stringify(result.replacement ?? '').slice(0, 160);
    fs.appendFileSync(FILE, `${result.status} ${path.relative(process.cwd(), result.fileName)}:${line}:${column} ${result.mutatorName} ${replacement}\n`);
  },
};

module.exports.strykerPlugins = [{ kind: 'Reporter', name: 'survivors', value: reporter }];
