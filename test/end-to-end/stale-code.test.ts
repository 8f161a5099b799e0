/**
 * What a user runs always runs the code in front of them: a copy of the project is edited the way that
 * once ran stale code (an edit that keeps the bundle's length, so V8 would take the old code cache), and
 * the user-facing `npm run synth` and `npm run plan` must see the edit; a tree that does not compile is
 * reported as the compiler reports it, and nothing is written.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectCopy } from '../project-copy';
import { readmeExamples } from '../readme-examples';

jest.setTimeout(300_000);

const PROD = 'usdfprod-prompt-processing';
let copy: ReturnType<typeof projectCopy>;
let project: string;

const npm = (script: string, args: string[]) => copy.npm(script, args);
const edit = (file: string, from: string, to: string) => {
  const target = path.join(project, file);
  const text = fs.readFileSync(target, 'utf8');
  expect(text).toContain(from);
  fs.writeFileSync(target, text.replace(from, to));
};
const read = (file: string) => fs.readFileSync(path.join(project, file), 'utf8');
const brokerPool = (dist: string) => read(path.join(dist, PROD, '0002-broker-pool.k8s.yaml'));

beforeAll(() => {
  // Built once in the project itself, so the copy starts from a fresh build with its code cache.
  copy = projectCopy('stale-code-');
  project = copy.dir;
});
afterAll(() => copy.remove());

test('an edit that keeps the bundle length is synthesized, and plan sees the unsafe change it makes', () => {
  expect(npm('synth', ['--env', PROD, '--out', 'before']).status).toBe(0);
  expect(brokerPool('before')).toContain('size: 35Ti');
  const bundleLength = fs.statSync(path.join(project, 'build', 'main.bundle.js')).size;
  expect(fs.readdirSync(path.join(project, 'build')).some((f) => /^main\.[0-9a-f]{64}\..*\.cache$/.test(f))).toBe(true);

  const bundleTime = fs.statSync(path.join(project, 'build', 'main.bundle.js')).mtimeMs;
  const checkedTime = fs.statSync(path.join(project, 'build', 'typecheck.tsbuildinfo')).mtimeMs;

  edit(`environments/${PROD}.ts`, "storageSize: '35Ti'", "storageSize: '34Ti'");
  const synth = npm('synth', ['--env', PROD, '--out', 'after']);
  expect(synth.stderr).toBe('');
  expect(synth.status).toBe(0);
  expect(fs.statSync(path.join(project, 'build', 'main.bundle.js')).size).toBe(bundleLength);
  expect(brokerPool('after')).toContain('size: 34Ti');
  // An edit of one environment file neither bundles nor type-checks the program again: the file is compiled alone.
  expect(fs.statSync(path.join(project, 'build', 'main.bundle.js')).mtimeMs).toBe(bundleTime);
  expect(fs.statSync(path.join(project, 'build', 'typecheck.tsbuildinfo')).mtimeMs).toBe(checkedTime);
  expect(read(`build/env/${PROD}.js`)).toContain("storageSize: '34Ti'");
  // The synth cache holds the run into 'before' (same arguments, same place), but of the code before the edit: not replayed.
  fs.renameSync(path.join(project, 'before'), path.join(project, 'kept'));
  expect(npm('synth', ['--env', PROD, '--out', 'before']).status).toBe(0);
  expect(brokerPool('before')).toContain('size: 34Ti');
  fs.rmSync(path.join(project, 'before'), { recursive: true });
  fs.renameSync(path.join(project, 'kept'), path.join(project, 'before'));

  const plan = npm('plan', ['--env', PROD, '--from', 'before']);
  expect(plan.status).toBe(1);
  expect(plan.stdout).toContain('UNSAFE [storage-decrease] KafkaNodePool/kafka: volume 0: 35Ti -> 34Ti');

  // Synthesizing over the earlier output warns about the same change (and --strict refuses it).
  expect(npm('synth', ['--env', PROD, '--out', 'before', '--strict'])).toMatchObject({ status: 1, stderr: expect.stringContaining('UNSAFE [storage-decrease]') });
  expect(brokerPool('before')).toContain('size: 35Ti');
  const warned = npm('synth', ['--env', PROD, '--out', 'before']);
  expect(warned.status).toBe(0);
  expect(warned.stderr).toContain(`synth: warning: ${PROD}: UNSAFE [storage-decrease] KafkaNodePool/kafka: volume 0: 35Ti -> 34Ti`);
});

test('sources that do not compile: the compiler\'s file:line: message, exit 1, nothing written, no bundle text', () => {
  edit(`environments/${PROD}.ts`, "storageSize: '34Ti'", 'storageSize: summitSize');
  for (let run = 0; run < 2; run++) {
    // The second run reports the same errors from the result kept for these exact sources.
    const synth = npm('synth', ['--out', 'broken']);
    expect(synth.status).toBe(1);
    expect(synth.stderr).toMatch(new RegExp(`^synth: the sources do not compile; nothing was written\\.\\nenvironments/${PROD}\\.ts:\\d+: Cannot find name 'summitSize'\\.`));
    expect(synth.stderr.length).toBeLessThan(1000);
    // What the README shows (one of its `$ npm run synth` examples) is this output.
    expect(readmeExamples('npm run synth')).toContainEqual(String(synth.stderr).trimEnd().split('\n'));
    expect(fs.existsSync(path.join(project, 'broken'))).toBe(false);
    const plan = npm('plan', ['--env', PROD, '--from', 'before']);
    expect(plan.status).toBe(1);
    expect(plan.stderr).toContain(`environments/${PROD}.ts`);
  }
  edit(`environments/${PROD}.ts`, 'storageSize: summitSize', "storageSize: '34Ti'");
  expect(npm('synth', ['--env', PROD, '--out', 'fixed']).status).toBe(0);
});

test('an environment file the schema refuses is left to the full build: the compiler\'s file:line: message, nothing written', () => {
  edit(`environments/${PROD}.ts`, "storageSize: '34Ti'", 'storageSize: 34');
  const synth = npm('synth', ['--env', PROD, '--out', 'mistyped']);
  expect(synth.status).toBe(1);
  expect(synth.stderr).toMatch(new RegExp(`^synth: the sources do not compile; nothing was written\\.\\nenvironments/${PROD}\\.ts:\\d+: Type 'number' is not assignable to type '`));
  expect(fs.existsSync(path.join(project, 'mistyped'))).toBe(false);
  edit(`environments/${PROD}.ts`, 'storageSize: 34', "storageSize: '34Ti'");
});

test('a tampered environment module is rebuilt, never run', () => {
  expect(npm('synth', ['--env', PROD, '--out', 'module']).status).toBe(0);
  const module = path.join(project, 'build', 'env', `${PROD}.js`);
  fs.writeFileSync(module, fs.readFileSync(module, 'utf8').replace('34Ti', '99Ti'));
  expect(npm('synth', ['--env', PROD, '--out', 'module-tampered']).status).toBe(0);
  expect(brokerPool('module-tampered')).toContain('size: 34Ti');
  expect(read(`build/env/${PROD}.js`)).not.toContain('99Ti');
});

test('a tampered bundle is rebuilt, never run', () => {
  const bundle = path.join(project, 'build', 'main.bundle.js');
  const text = fs.readFileSync(bundle, 'utf8');
  // (The environments' values are not in the bundle: build/env/ holds them, tampered with in the test above.)
  expect(text).toContain('strimzi.io/cluster');
  fs.writeFileSync(bundle, text.replaceAll('strimzi.io/cluster', 'strimzi.io/clustex'));
  const stat = fs.statSync(bundle);
  // On a terminal (script(1) gives it one), the build says so in one line before it starts.
  const onTerminal = spawnSync('script', ['-qec', `npm run -s synth -- --env ${PROD} --out tampered`, '/dev/null'], { cwd: project, encoding: 'utf8', env: { ...process.env, CDK8S_OUTDIR: '' } });
  expect(onTerminal.status).toBe(0);
  expect(onTerminal.stdout.split('\n').filter((l) => l.includes('building'))).toEqual([
    'synth: building the program first (type check and bundle: up to a minute after npm ci or a change of the code)\r',
  ]);
  expect(brokerPool('tampered')).toContain('size: 34Ti');
  expect(brokerPool('tampered')).toContain('strimzi.io/cluster: ');
  expect(brokerPool('tampered')).not.toContain('clustex');
  expect(fs.statSync(bundle).mtimeMs).not.toBe(stat.mtimeMs);
});

test('plan --from a git ref that has no such environment: a new environment, everything added', () => {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: project, encoding: 'utf8' });
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'add', '-A');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'base');
  // A new environment is its file alone (the build registers it).
  const source = read('environments/local-bootstrap.ts').replace("name: 'local-bootstrap'", "name: 'summit-alerts',\n  replaces: 'local-bootstrap'").replace('export const localBootstrap', 'export const summitAlerts');
  fs.writeFileSync(path.join(project, 'environments', 'summit-alerts.ts'), source);
  const plan = npm('plan', ['--env', 'summit-alerts', '--from', 'HEAD']);
  expect(plan.stderr).toBe('build: rewrote generated/environments.ts from the files in environments/ (commit it)\n');
  expect(plan.status).toBe(0);
  expect(plan.stdout).toMatch(/^summit-alerts has no earlier output in HEAD: a new environment, everything is added\n/);
  expect(plan.stdout).toMatch(/\nsummit-alerts: \d+ added, 0 changed, 0 removed; 0 unsafe/);
});

test('a hand-edited compiled validator is compiled anew from the schema before anything runs', () => {
  const file = path.join(project, 'generated', 'environment.validator.js');
  const original = fs.readFileSync(file, 'utf8');
  // Accept any environment name: a validator that no longer matches its schema.
  fs.writeFileSync(file, original.replace('"pattern":"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"', '"pattern":".*"').replace(/pattern0 = new RegExp\([^)]*\)/, 'pattern0 = /.*/'));
  expect(fs.readFileSync(file, 'utf8')).not.toBe(original);
  const synth = npm('synth', ['--env', PROD, '--out', 'revalidated']);
  expect(synth.status).toBe(0);
  expect(synth.stderr).toContain('build: recompiled generated/environment.validator.js');
  expect(fs.readFileSync(file, 'utf8')).toBe(original);
});

test('an environment file left out of the bundle (not data only) is still part of the build key: a same-length edit is seen', () => {
  const file = path.join(project, 'environments', 'side-effect.ts');
  const body = (call: string) => `import type { Environment } from '../constructs/alert-stream-props';\nexport const sideEffect: Environment = { name: 'side-effect' } as unknown as Environment;\n${call}\n`;
  try {
    fs.writeFileSync(file, body('console.log(1);'));
    const first = npm('secrets', ['--env', 'side-effect']);
    expect(first.status).toBe(1);
    expect(first.stderr).toContain('environments/side-effect.ts:3: not data: a statement that runs code (console.log(1);)');
    // Same length, same bundle: only the file's own hash can tell the registry is stale.
    fs.writeFileSync(file, body('console.log(2);'));
    const second = npm('secrets', ['--env', 'side-effect']);
    expect(second.stderr).toContain('environments/side-effect.ts:3: not data: a statement that runs code (console.log(2);)');
    // Other environments still run while it is there.
    expect(npm('secrets', ['--env', PROD]).status).toBe(0);
  } finally {
    fs.rmSync(file, { force: true });
  }
});
