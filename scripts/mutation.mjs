// npm run test:mutation: Stryker over the rules, plan and quantities (stryker.config.json), incremental:
// only mutants in code changed since the recorded result (test/mutation/stryker-incremental.json), or
// covered by changed tests, run again. Then docs/mutation.md, and exit 1 when an area scores below 90 %.
//   --force          run every mutant again (the release checklist's full run)
//   --strict         also fail when a mutant survives without being disabled as equivalent
//   --mutate <globs> only these files this time (e.g. 'constructs/rules/[a-n]*.ts'): a long run in parts,
//                    each part's results recorded as it ends; the other files keep their recorded results.
//                    Comma-separated (Stryker splits on commas, so no {a,b} globs); `file:10-12` is lines 10-12
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const mutateAt = args.indexOf('--mutate');
const mutate = mutateAt === -1 ? undefined : args[mutateAt + 1];
const flags = mutateAt === -1 ? args : [...args.slice(0, mutateAt), ...args.slice(mutateAt + 2)];
const unknown = flags.filter((a) => a !== '--force' && a !== '--strict');
if (unknown.length > 0 || (mutateAt !== -1 && !mutate)) {
  console.error(`test:mutation: ${unknown.length > 0 ? `unknown option ${unknown.join(' ')}` : '--mutate needs a file or glob'}; the options are --force, --strict and --mutate <glob>`);
  process.exit(2);
}
// Written afresh by Stryker's first, unmutated run (test/mutation/test-index.cjs).
fs.rmSync(path.join(root, 'reports', 'mutation', 'test-index.json'), { force: true });
const stryker = ['run'];
if (flags.includes('--force')) stryker.push('--force');
if (mutate) stryker.push('--mutate', mutate);
const run = spawnSync(path.join(root, 'node_modules', '.bin', 'stryker'), stryker, { cwd: root, stdio: 'inherit' });
if (run.status !== 0) process.exit(run.status ?? 1);

// The recorded result is committed: keep what a later run reuses (statuses, coverage, sources), drop the
// failure text of every killed mutant (jest's whole message, most of the file) and the machine's paths.
const incrementalFile = path.join(root, JSON.parse(fs.readFileSync(path.join(root, 'stryker.config.json'), 'utf8')).incrementalFile);
const recorded = JSON.parse(fs.readFileSync(incrementalFile, 'utf8'));
for (const file of Object.values(recorded.files)) for (const m of file.mutants) if (m.status !== 'Ignored') delete m.statusReason;
delete recorded.projectRoot;
delete recorded.config;
fs.writeFileSync(incrementalFile, `${JSON.stringify(recorded)}\n`);
const report = spawnSync(process.execPath, [path.join(root, 'scripts', 'mutation-report.mjs'), ...flags.filter((a) => a === '--strict')], { cwd: root, stdio: 'inherit' });
process.exit(report.status ?? 1);
