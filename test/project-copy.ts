import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

/**
 * A copy of this project (every file git knows or would add) in a temporary folder, with this
 * checkout's node_modules linked in and, after one build here, its build/ folder copied, so a
 * test can edit sources and run the commands a user runs. `remove()` deletes it.
 */
export function projectCopy(prefix: string): { dir: string; npm: (script: string, args: string[]) => ReturnType<typeof spawnSync>; remove: () => void } {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.cjs')], { cwd: root });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dir = path.join(work, 'project');
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(root, file))) continue;
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(dir, file));
  }
  fs.cpSync(path.join(root, 'build'), path.join(dir, 'build'), { recursive: true });
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  // ../shared beside the copy, as beside the project, for the tests and commands that read it.
  fs.symlinkSync(path.resolve(root, '..', 'shared'), path.join(work, 'shared'), 'dir');
  // `npm run -s <script> -- <args>` in the copy, as a user types it.
  const npm = (script: string, args: string[]) =>
    spawnSync('npm', ['run', '-s', script, '--', ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '' } });
  return { dir, npm, remove: () => fs.rmSync(work, { recursive: true, force: true }) };
}
