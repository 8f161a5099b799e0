/** The built program, run as a user runs it: exit codes and files on disk. */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const main = path.join(root, 'build', 'main.js');
let outdir: string;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root });
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-test-'));
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('exits 0 and writes dist/<env> into CDK8S_OUTDIR, as cdk8s synth runs it', () => {
  const result = spawnSync(process.execPath, [main], { env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(fs.readdirSync(outdir).sort()).toEqual(['local-bootstrap', 'usdfdev-prompt-processing', 'usdfprod-prompt-processing']);
});

test('exits 2 with the known environments for an unknown one', () => {
  const result = spawnSync(process.execPath, [main, '--env', 'nope', '--out', outdir], { encoding: 'utf8' });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain("unknown environment 'nope'; known environments: usdfdev-prompt-processing, usdfprod-prompt-processing, local-bootstrap");
  expect(result.stderr).not.toMatch(/\n\s+at /);
});
