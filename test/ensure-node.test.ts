/**
 * scripts/ensure-node.sh (what .ci/run puts first on PATH): the machine's node when it is the major version
 * .nvmrc pins, else the pinned one kept in the cache (fetched from the npm registry only when missing: not
 * here). The `node` programs below are stand-ins (test code: shell scripts printing a version).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const PINNED = fs.readFileSync(path.join(ROOT, '.nvmrc'), 'utf8').trim();
let work: string;
beforeEach(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'ensure-node-')); });
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

/** A folder holding a stand-in `node` that prints `version`. */
function standIn(dir: string, version: string): string {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'node'), `#!/bin/sh\necho ${version}\n`, { mode: 0o755 });
  return dir;
}

const ensure = (bin: string) => spawnSync('bash', [path.join(ROOT, 'scripts', 'ensure-node.sh')], {
  encoding: 'utf8',
  // Only the stand-in's folder and the system's tools: no other node.
  env: { PATH: `${bin}:/usr/bin:/bin`, ALERT_STREAM_NODE_CACHE: path.join(work, 'cache'), HOME: work },
});

test('.nvmrc pins an exact Node 24 (the LTS line CI runs)', () => {
  expect(PINNED).toMatch(/^24\.\d+\.\d+$/);
});

test('the machine\'s node of the pinned major version is used as it is', () => {
  const bin = standIn(path.join(work, 'machine'), `v${PINNED.split('.')[0]}.0.0`);
  expect(ensure(bin)).toMatchObject({ status: 0, stdout: `${bin}\n`, stderr: '' });
});

test('an older node: the pinned one from the cache, nothing fetched when it is there', () => {
  const bin = standIn(path.join(work, 'machine'), 'v20.20.2');
  const cached = standIn(path.join(work, 'cache', PINNED, 'bin'), `v${PINNED}`);
  expect(ensure(bin)).toMatchObject({ status: 0, stdout: `${cached}\n`, stderr: '' });
});
