// `plan --from <git ref>`: exports that commit's tree, builds and synthesizes it in a child process (a full build:
// seconds of CPU), and keeps the output by tree (cli/git-output.ts). End-to-end, so in the tools tier.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runPlan } from '../../cli/plan';
import { runCommand } from '../helpers';

const root = path.resolve(__dirname, '../..');
const run = (argv: string[]) => runCommand(runPlan, argv, { root });
const env = 'usdfprod-prompt-processing';

describe('npm run plan --from <git ref>', () => {
  test('--from a git ref synthesizes that commit', () => {
    const result = run(['--env', env, '--from', 'HEAD']);
    expect(result.stderr).toBe('');
    expect([0, 1]).toContain(result.code);
    expect(result.stdout).toMatch(new RegExp(`^${env}: \\d+ added, \\d+ changed, \\d+ removed;`, 'm'));
  }, 60000);

  test("--from a git ref again reads the output kept for that commit's tree: no build, no synth; a commit with the same tree shares it", () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
    const tree = git('rev-parse', 'HEAD^{tree}');
    expect(run(['--env', env, '--from', 'HEAD']).stderr).toBe('');
    const kept = fs.readdirSync(path.join(root, 'build', 'refs')).filter((f) => f.startsWith('out-'))
      .map((f) => path.join(root, 'build', 'refs', f)).filter((d) => fs.existsSync(path.join(d, '.complete')) && fs.readFileSync(path.join(d, '.complete'), 'utf8').trim() === git('rev-parse', 'HEAD'));
    expect(kept.length).toBeGreaterThanOrEqual(1);
    // The exported tree gone: a run that needed it would export and build it again.
    fs.rmSync(path.join(root, 'build', 'refs', tree), { recursive: true, force: true });
    const twin = git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit-tree', tree, '-m', 'same tree, another commit');
    for (const ref of ['HEAD', twin]) {
      const again = run(['--env', env, '--from', ref]);
      expect(again.stderr).toBe('');
      expect(again.stdout).toMatch(new RegExp(`^${env}: \\d+ added, \\d+ changed, \\d+ removed;`, 'm'));
    }
    expect(fs.existsSync(path.join(root, 'build', 'refs', tree))).toBe(false);
  }, 60000);

});
