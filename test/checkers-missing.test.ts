// scripts/checkers.sh on a machine where the checkers are not built: one line naming each missing tool and the
// command that builds it, exit 2, and nothing run (it never builds one itself). No tools needed: npm test.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

test('every checker that is not built is named in one line, with the command that builds it; exit 2', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'checkers-missing-'));
  try {
    const run = spawnSync('bash', [path.resolve(__dirname, '..', 'scripts', 'checkers.sh'), path.join(empty, 'dist')], {
      encoding: 'utf8', env: { ...process.env, ALERT_STREAM_TOOLS_CACHE: empty }, timeout: 60_000,
    });
    expect([run.status, run.stdout, run.stderr]).toEqual([2, '',
      'checkers: not built: kube-score kubeconform checkov; build each first with bash tools/build.sh <name> (Go and the Go module proxy; checkov: Python and PyPI)\n']);
    expect(fs.readdirSync(empty)).toEqual([]);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});
