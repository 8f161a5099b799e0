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

describe('a large environment, synthesized in two threads (lib/parallel-synthesis.ts)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { scaledEnvironment } = require('../../bench/scaled-environments');
  const synth = (threads: string, file: string, out: string) => spawnSync(process.execPath, [...main, '--environment-file', file, '--out', out],
    { env: { ...process.env, ALERT_STREAM_THREADS: threads }, encoding: 'utf8' });
  const files = (dir: string) => fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    .map((f) => [f, fs.statSync(path.join(dir, f)).isFile() ? fs.readFileSync(path.join(dir, f), 'utf8') : '']);

  test('writes byte for byte what one thread writes', () => {
    const dev = environments['usdfdev-prompt-processing'];
    const file = path.join(outdir, 'large.json');
    fs.writeFileSync(file, JSON.stringify({ ...scaledEnvironment(dev, { label: 'x', topics: 300, users: 400 }), name: 'usdf-large', replaces: dev.name }));
    const [one, two] = [synth('1', file, path.join(outdir, 'one')), synth('2', file, path.join(outdir, 'two'))];
    expect([one.status, one.stderr, two.status, two.stderr]).toEqual([0, '', 0, '']);
    const written = files(path.join(outdir, 'two'));
    expect(written.map(([f]) => f)).toContain('usdf-large/0007-services.k8s.yaml');
    expect(written.join('').length).toBeGreaterThan(500_000);
    expect(written).toEqual(files(path.join(outdir, 'one')));
  });

  test('a large environment that breaks a rule is refused before a second thread starts: nothing written', () => {
    const dev = environments['usdfdev-prompt-processing'];
    const file = path.join(outdir, 'large-bad.json');
    // A topic named like the registry's own topic: the manifest rules (unique objects) refuse it.
    const env = scaledEnvironment(dev, { label: 'x', topics: 300, users: 400 });
    fs.writeFileSync(file, JSON.stringify({ ...env, name: 'usdf-large-bad', replaces: dev.name, topics: [...env.topics, { ...env.topics[0], partitions: 3 }] }));
    const result = synth('2', file, path.join(outdir, 'bad'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^synth: refused; nothing was written\.\n/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(outdir, 'bad'))).toBe(false);
  });
});
