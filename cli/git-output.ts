import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError } from './crds';

/** Commits whose exported, built trees are kept (build/refs/<sha>), the most recently used first. */
const KEPT_TREES = 5;

/**
 * Synthesizes one environment as the code of a git commit wrote it: the commit's tree is exported
 * (this checkout's node_modules linked in), built and run. The exported tree is kept in
 * `build/refs/<commit sha>` and used again by the next plan against that commit, so its build is
 * made once: a commit's tree never changes, and the tree's own launcher rebuilds if anything it was
 * built from did (node_modules, the Node version). Returns the output folder (undefined when that
 * commit does not know the environment) and a function that removes the output again.
 */
export function synthesizeAtRef(repo: string, ref: string, env: string): { dir: string | undefined; cleanup: () => void } {
  const commit = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo, encoding: 'utf8' });
  if (commit.status !== 0) throw new InputError(`'${ref}' is neither a folder nor a git commit of ${repo}`);
  const sha = commit.stdout.trim();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-plan-'));
  const cleanup = () => fs.rmSync(work, { recursive: true, force: true });
  try {
    const tree = exportedTree(repo, sha);
    const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: tree, encoding: 'utf8' });
    const out = path.join(work, 'dist');
    const synthArgs = ['--env', env, '--out', out];
    let synth;
    if (fs.existsSync(path.join(tree, 'scripts', 'launch.cjs'))) {
      synth = run(['scripts/launch.cjs', 'main', ...synthArgs]);
    } else if (fs.existsSync(path.join(tree, 'scripts', 'build.mjs'))) {
      // Commits before the launcher: build, then run the bundle.
      const build = run(['scripts/build.mjs', '--force']);
      if (build.status !== 0) throw new InputError(`building ${ref} failed: ${build.stderr.trim().split('\n')[0]}`);
      synth = run(['build/main.js', ...synthArgs]);
    } else {
      throw new InputError(`commit ${sha.slice(0, 12)} (${ref}) has no scripts/launch.cjs or scripts/build.mjs; give its output folder instead`);
    }
    if (synth.status === 2 && synth.stderr.includes(`unknown environment '${env}'`)) return { dir: undefined, cleanup };
    if (synth.status !== 0) throw new InputError(`synthesizing ${env} at ${ref} failed: ${synth.stderr.trim().split('\n').slice(0, 3).join(' ')}`);
    return { dir: path.join(out, env), cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** `build/refs/<sha>`: the commit's files, exported once (written beside it, then renamed into place). */
function exportedTree(repo: string, sha: string): string {
  const refs = path.join(repo, 'build', 'refs');
  const tree = path.join(refs, sha);
  if (!fs.existsSync(tree)) {
    fs.mkdirSync(refs, { recursive: true });
    const staging = fs.mkdtempSync(path.join(refs, `.${sha}-`));
    try {
      const archive = execFileSync('git', ['archive', '--format=tar', sha], { cwd: repo, maxBuffer: 512 * 1024 * 1024 });
      execFileSync('tar', ['-x', '-C', staging], { input: archive });
      // This checkout's packages, in place of whatever the commit holds under that name.
      fs.rmSync(path.join(staging, 'node_modules'), { recursive: true, force: true });
      fs.symlinkSync(path.join(repo, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
      fs.renameSync(staging, tree);
    } catch (error) {
      fs.rmSync(staging, { recursive: true, force: true });
      // Another plan exported the same commit at the same moment: use theirs.
      if (!fs.existsSync(tree)) throw error;
    }
  }
  const now = new Date();
  fs.utimesSync(tree, now, now);
  pruneTrees(refs);
  return tree;
}

/** Keeps the KEPT_TREES most recently used commit trees. */
function pruneTrees(refs: string): void {
  const trees = fs.readdirSync(refs).filter((f) => /^[0-9a-f]{40,64}$/.test(f))
    .map((f) => ({ f, used: fs.statSync(path.join(refs, f)).mtimeMs })).sort((a, b) => b.used - a.used);
  for (const { f } of trees.slice(KEPT_TREES)) fs.rmSync(path.join(refs, f), { recursive: true, force: true });
}
