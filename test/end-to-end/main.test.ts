/** The built program, run as a user runs it: exit codes and files on disk. */
import { environments } from '../../lib/environments';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const launcher = path.join(root, 'scripts', 'launch.cjs');
const main = [launcher, 'main'];
let outdir: string;

beforeAll(() => {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.cjs')], { cwd: root });
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'main-test-'));
});
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

test('exits 0 and writes dist/<env> into CDK8S_OUTDIR, as cdk8s synth runs it', () => {
  const result = spawnSync(process.execPath, [...main], { env: { ...process.env, CDK8S_OUTDIR: outdir }, encoding: 'utf8' });
  expect(result.status).toBe(0);
  expect(fs.readdirSync(outdir).sort()).toEqual(Object.keys(environments).sort());
});

test('exits 2 with the known environments for an unknown one', () => {
  const result = spawnSync(process.execPath, [...main, '--env', 'nope', '--out', outdir], { encoding: 'utf8' });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain(`unknown environment 'nope'; known environments: ${Object.keys(environments).join(', ')}`);
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

test.each([
  ['synth', [...main, '--env']],
  ['secrets', [launcher, 'cli', 'secrets', '--env']],
  ['plan', [launcher, 'cli', 'plan', '--from', 'dist', '--env']],
])('%s: control bytes from the command line or a file never reach the terminal raw', (_command, argv) => {
  const result = spawnSync(process.execPath, [...argv, '\u001b[2J\u001b]0;owned\u0007\r\u009b', '--out', outdir].slice(0, argv.length + 1), { encoding: 'utf8' });
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('\\u001b[2J\\u001b]0;owned\\u0007\\u000d\\u009b');
  // eslint-disable-next-line no-control-regex
  expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
});

describe('the real entry point', () => {
  test('--environment-file reads an environment as JSON; Node 20 does not take it for its own --env-file', () => {
    const file = path.join(outdir, 'staging.json');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { environments } = require('../../lib/environments');
    fs.writeFileSync(file, JSON.stringify({ ...environments['usdfdev-prompt-processing'], name: 'usdf-staging', replaces: 'usdfdev-prompt-processing' }));
    const result = spawnSync(process.execPath, [...main, '--environment-file', file, '--out', path.join(outdir, 'json')], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.readdirSync(path.join(outdir, 'json'))).toEqual(['usdf-staging']);
  });

  test('synth, which writes to its descriptors directly: a reader that closes early gets no stack trace (EPIPE)', () => {
    const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${launcher}" main --out "${path.join(outdir, 'pipe')}" | head -c 10`], { encoding: 'utf8' });
    expect(result.stdout).toHaveLength(10);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  test('a reader that closes early gets no stack trace (EPIPE)', () => {
    const result = spawnSync('bash', ['-c', `"${process.execPath}" "${launcher}" cli secrets --env usdfprod-prompt-processing --json | head -c 10`], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toHaveLength(10);
    expect(result.stderr).toBe('');
  });
});

describe('the bundle writes what the sources write (scripts/build.cjs rewrites generated imports for speed)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { renderManifest, synthesizeEnvironment } = require('../../lib/synthesize');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { scaledEnvironment } = require('../../bench/scaled-environments');
  const expectSame = (env: any, dir: string) => {
    const expected = synthesizeEnvironment(env).map((m: any) => [m.fileName, renderManifest(m)]);
    expect(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')])).toEqual(expected);
  };

  test('every environment, and a large one, byte for byte', () => {
    const out = path.join(outdir, 'bundle');
    const large = { ...scaledEnvironment(environments['usdfdev-prompt-processing'], { label: 'x', topics: 150, users: 300 }), name: 'usdf-large', replaces: 'usdfdev-prompt-processing' };
    const file = path.join(outdir, 'large.json');
    fs.writeFileSync(file, JSON.stringify(large));
    const result = spawnSync(process.execPath, [...main, ...Object.keys(environments).flatMap((e) => ['--env', e]), '--environment-file', file, '--out', out], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toEqual([0, '']);
    for (const env of Object.values(environments)) expectSame(env, path.join(out, env.name));
    expectSame(large, path.join(out, 'usdf-large'));
  });
});
