import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError } from './crds';

/** Trees exported and built (build/refs/<tree>) and outputs synthesized (build/refs/out-<key>) that are kept, the most recently used first. */
const KEPT_TREES = 5;

/**
 * The key of a tree's synthesized output: the git tree hash (exactly the files of the commit), the
 * packages it is built with (this checkout's node_modules, by npm's lock of what is installed) and
 * the Node version. Two commits with one tree (a rebase, a merge that changes nothing) share it.
 */
function outputKey(repo: string, tree: string): string {
  const lock = [path.join(repo, 'node_modules', '.package-lock.json'), path.join(repo, 'package-lock.json')].find((f) => fs.existsSync(f));
  const hash = createHash('sha256').update(tree).update('\0').update(lock ? fs.readFileSync(lock) : '').update('\0').update(process.version);
  return hash.digest('hex').slice(0, 32);
}

/**
 * Synthesizes one environment as the code of a git commit wrote it: the commit's tree is exported
 * (this checkout's node_modules linked in), built and run for every environment at once. Tree and
 * output are kept in `build/refs/` keyed by the tree hash (and, for the output, the packages and
 * Node version it was built with), so the next plan against the same tree reads the output at once.
 * Returns the output folder (undefined when that commit does not know the environment) and a function
 * that removes what is not kept.
 */
export function synthesizeAtRef(repo: string, ref: string, env: string): { dir: string | undefined; cleanup: () => void } {
  const commit = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repo, encoding: 'utf8' });
  if (commit.status !== 0) throw new InputError(`'${ref}' is neither a folder nor a git commit of ${repo}`);
  const sha = commit.stdout.trim();
  const treeHash = execFileSync('git', ['rev-parse', `${sha}^{tree}`], { cwd: repo, encoding: 'utf8' }).trim();
  const refs = path.join(repo, 'build', 'refs');
  const cached = path.join(refs, `out-${outputKey(repo, treeHash)}`);
  if (fs.existsSync(path.join(cached, '.complete'))) {
    touch(cached);
    return { dir: fs.existsSync(path.join(cached, env)) ? path.join(cached, env) : undefined, cleanup: () => {} };
  }
  const tree = exportedTree(repo, sha, treeHash);
  const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: tree, encoding: 'utf8' });
  // Beside the kept outputs, not in the temporary folder: the output is renamed into place, and a rename cannot
  // cross file systems (a /tmp on tmpfs).
  const work = fs.mkdtempSync(path.join(refs, '.plan-'));
  const cleanup = () => fs.rmSync(work, { recursive: true, force: true });
  try {
    const synthesize = (out: string, only: string[]) => {
      const synthArgs = [...only.flatMap((e) => ['--env', e]), '--out', out];
      if (fs.existsSync(path.join(tree, 'scripts', 'launch.cjs'))) return run(['scripts/launch.cjs', 'main', ...synthArgs]);
      if (fs.existsSync(path.join(tree, 'scripts', 'build.mjs'))) {
        // Commits before the launcher: build, then run the bundle.
        const build = run(['scripts/build.mjs', '--force']);
        if (build.status !== 0) throw new InputError(`building ${ref} failed: ${build.stderr.trim().split('\n')[0]}`);
        return run(['build/main.js', ...synthArgs]);
      }
      throw new InputError(`commit ${sha.slice(0, 12)} (${ref}) has no scripts/launch.cjs or scripts/build.mjs; give its output folder instead`);
    };
    // Every environment at once, kept for the next plan against this tree.
    const all = path.join(work, 'all');
    if (synthesize(all, []).status === 0) {
      fs.writeFileSync(path.join(all, '.complete'), `${sha}\n`);
      try {
        fs.renameSync(all, cached);
      } catch (error) {
        // Another plan kept the same output at the same moment: use theirs.
        if (!fs.existsSync(path.join(cached, '.complete'))) throw error;
      }
      cleanup();
      pruneKept(refs);
      return { dir: fs.existsSync(path.join(cached, env)) ? path.join(cached, env) : undefined, cleanup: () => {} };
    }
    // Some environment of that commit does not synthesize: this one alone, not kept.
    const out = path.join(work, 'dist');
    const synth = synthesize(out, [env]);
    if (synth.status === 2 && synth.stderr.includes(`unknown environment '${env}'`)) return { dir: undefined, cleanup };
    if (synth.status !== 0) throw new InputError(`synthesizing ${env} at ${ref} failed: ${synth.stderr.trim().split('\n').slice(0, 3).join(' ')}`);
    return { dir: path.join(out, env), cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}

function touch(file: string): void {
  const now = new Date();
  fs.utimesSync(file, now, now);
}

/** `build/refs/<tree hash>`: the commit's files, exported once (written beside it, then renamed into place). */
function exportedTree(repo: string, sha: string, treeHash: string): string {
  const refs = path.join(repo, 'build', 'refs');
  const tree = path.join(refs, treeHash);
  if (!fs.existsSync(tree)) {
    fs.mkdirSync(refs, { recursive: true });
    const staging = fs.mkdtempSync(path.join(refs, `.${treeHash}-`));
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
  touch(tree);
  pruneKept(refs);
  return tree;
}

/** Keeps the KEPT_TREES most recently used trees, and as many outputs. */
function pruneKept(refs: string): void {
  for (const pattern of [/^[0-9a-f]{40,64}$/, /^out-[0-9a-f]{32}$/]) {
    const kept = fs.readdirSync(refs).filter((f) => pattern.test(f))
      .map((f) => ({ f, used: fs.statSync(path.join(refs, f)).mtimeMs })).sort((a, b) => b.used - a.used);
    for (const { f } of kept.slice(KEPT_TREES)) fs.rmSync(path.join(refs, f), { recursive: true, force: true });
  }
}
