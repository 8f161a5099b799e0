// npm run test:mutation: Stryker over the rules, plan and quantities (stryker.config.json), incremental:
// only mutants in code changed since the recorded result (test/mutation/stryker-incremental.json), or
// covered by changed tests, run again. Then docs/mutation.md, and exit 1 when an area scores below 90 %.
//   --force          run every mutant again (the release checklist's full run)
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--force');
if (unknown.length > 0) {
  console.error(`test:mutation: unknown option ${unknown.join(' ')}; the only option is --force`);
  process.exit(2);
}
const stryker = ['run'];
if (args.includes('--force')) stryker.push('--force');
const run = spawnSync(path.join(root, 'node_modules', '.bin', 'stryker'), stryker, { cwd: root, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);
const report = spawnSync(process.execPath, [path.join(root, 'scripts', 'mutation-report.mjs')], { cwd: root, stdio: 'inherit' });
process.exit(report.status ?? 1);
