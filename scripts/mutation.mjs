// npm run test:mutation: Stryker over the rules, plan and quantities (stryker.config.json), incremental:
// only mutants in code changed since the recorded result (test/mutation/stryker-incremental.json), or
// covered by changed tests, run again. Then docs/mutation.md, and exit 1 when an area scores below 90 %.
//   --force          run every mutant again (the release checklist's full run)
//   --recorded-only  mutate only the files that have a recorded result (CI: a bounded run)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--force' && a !== '--recorded-only');
if (unknown.length > 0) {
  console.error(`test:mutation: unknown option ${unknown.join(' ')}; use --force or --recorded-only`);
  process.exit(2);
}
const config = JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8'));
const stryker = ['run'];
if (args.includes('--force')) stryker.push('--force');
if (args.includes('--recorded-only')) {
  const incremental = path.join(root, config.incrementalFile);
  const recorded = fs.existsSync(incremental) ? Object.keys(JSON.parse(fs.readFileSync(incremental, 'utf8')).files) : [];
  if (recorded.length === 0) {
    console.error(`test:mutation: no recorded result in ${config.incrementalFile}; run npm run test:mutation once`);
    process.exit(1);
  }
  stryker.push('--mutate', recorded.join(','));
}
const run = spawnSync(path.join(root, 'node_modules', '.bin', 'stryker'), stryker, { cwd: root, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
const report = spawnSync(process.execPath, [path.join(root, 'scripts', 'mutation-report.mjs'), ...(args.includes('--recorded-only') ? ['--recorded-only'] : [])], { cwd: root, stdio: 'inherit' });
process.exit(report.status ?? 1);
