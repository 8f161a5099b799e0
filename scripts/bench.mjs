// npm run bench: bundles bench/run.ts (the project's own TypeScript) and runs it; see that file.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// In build/, beside the programs: the bundled modules find the project (and ../shared) from there.
const outfile = path.join(root, 'build', 'bench.cjs');
try {
  await build({ entryPoints: [path.join(root, 'bench', 'run.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile, logLevel: 'warning', external: ['typescript'] });
  // The synth side is built before anything is timed, so no run pays for a rebuild.
  const built = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.cjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
  const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  fs.rmSync(outfile, { force: true });
}
