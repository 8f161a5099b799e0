/** scripts/launch.cjs: the bundle it runs is the one the manifest records, read once and checked. */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environments } from '../../lib/environments';

const root = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freshManifest, verifiedBundle } = require('../../scripts/launch.cjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { removeOtherCaches } = require('../../scripts/build.cjs');

beforeAll(() => execFileSync(process.execPath, [path.join(root, 'scripts', 'build.cjs')], { cwd: root }));

test("a build removes code caches named for other bundles (either name layout), and keeps its own bundles' caches", () => {
  const build = path.join(root, 'build');
  const manifest = freshManifest();
  const others = [`main.${'0'.repeat(64)}.${process.version}.cache`, `cli.${'0'.repeat(16)}.${process.version}.cache`];
  const own = `main.${manifest.bundles.main}.${process.version}.cache`;
  const ownExisted = fs.existsSync(path.join(build, own));
  for (const f of [...others, ...(ownExisted ? [] : [own])]) fs.writeFileSync(path.join(build, f), 'x');
  removeOtherCaches(manifest.bundles);
  expect(others.filter((f) => fs.existsSync(path.join(build, f)))).toEqual([]);
  expect(fs.existsSync(path.join(build, own))).toBe(true);
  if (!ownExisted) fs.rmSync(path.join(build, own));
});

describe('verifiedBundle: the source handed to V8 (and named with its code cache) is the recorded bundle', () => {
  test('the recorded bundle is read whole', () => {
    const manifest = freshManifest();
    expect(manifest).toBeDefined();
    expect(verifiedBundle('main', manifest)).toBe(fs.readFileSync(path.join(root, 'build', 'main.bundle.js'), 'utf8'));
  });

  test('a file whose stat differs from the record is hashed: the same content passes', () => {
    const manifest = structuredClone(freshManifest());
    manifest.files['build/main.bundle.js'].stat = 'another';
    expect(verifiedBundle('main', manifest)).toBeDefined();
  });

  test('a bundle replaced after the manifest was read (other stat, other hash) is refused, not run', () => {
    const manifest = structuredClone(freshManifest());
    manifest.files['build/main.bundle.js'].stat = 'another';
    manifest.bundles.main = '0'.repeat(64);
    expect(verifiedBundle('main', manifest)).toBeUndefined();
  });
});

describe('the synth bundle', () => {
  test('never loads crypto or child_process (nor the sockets and streams they load) for a synth', () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-builtins-'));
    try {
      const loaded = path.join(work, 'loaded.json');
      const preload = path.join(work, 'record.cjs');
      fs.writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(process.moduleLoadList)));`);
      execFileSync(process.execPath, ['-r', preload, path.join(root, 'build', 'main.bundle.js'), '--env', 'usdfdev-prompt-processing', '--out', path.join(work, 'out')], { cwd: root });
      expect(fs.readdirSync(path.join(work, 'out', 'usdfdev-prompt-processing'))).toContain('0003-kafka.k8s.yaml');
      const modules: string[] = JSON.parse(fs.readFileSync(loaded, 'utf8'));
      expect(modules.filter((m) => /^NativeModule (crypto|child_process|net|dgram|stream)$/.test(m))).toEqual([]);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });
});

describe('the synth cache, as the launcher uses it (scripts/synth-cache.cjs)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cache = require('../../scripts/synth-cache.cjs');
  const ENV = 'usdfdev-prompt-processing';
  const synth = (out: string, env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [path.join(root, 'scripts', 'launch.cjs'), 'main', '--env', ENV, '--out', out], {
    cwd: root, encoding: 'utf8', env: { ...process.env, ALERT_STREAM_TIMINGS: '', ALERT_STREAM_DEBUG: '', ALERT_STREAM_SYNTH_CACHE: '', ...env },
  });
  const entryOf = (out: string) => path.join(root, 'build', 'synth-cache', `${cache.cacheKey(freshManifest(), ['--env', ENV, '--out', out], { cwd: root, env: {} })}.json`);

  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-synth-cache-'));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test('a run is recorded, and the same run again is replayed from the record (here one forged to show it), printing the same', () => {
    const out = path.join(work, 'out');
    const first = synth(out);
    expect(first).toMatchObject({ status: 0, stderr: '' });
    const entry = entryOf(out);
    try {
      const recorded = JSON.parse(fs.readFileSync(entry, 'utf8'));
      expect(recorded.result.folders[ENV]['0003-kafka.k8s.yaml']).toBe(fs.readFileSync(path.join(out, ENV, '0003-kafka.k8s.yaml'), 'utf8'));
      recorded.result.folders[ENV]['0003-kafka.k8s.yaml'] += '# from the cache\n';
      recorded.sha256 = createHash('sha256').update(JSON.stringify(recorded.result)).digest('hex');
      fs.writeFileSync(entry, JSON.stringify(recorded));
      fs.rmSync(out, { recursive: true });
      const again = synth(out);
      expect(again).toMatchObject({ status: 0, stderr: '', stdout: first.stdout });
      expect(fs.readFileSync(path.join(out, ENV, '0003-kafka.k8s.yaml'), 'utf8')).toMatch(/# from the cache\n$/);

      // With the cache off, or over an earlier output that differs, synth runs: the forged line is gone.
      fs.rmSync(out, { recursive: true });
      expect(synth(out, { ALERT_STREAM_SYNTH_CACHE: 'off' }).status).toBe(0);
      expect(fs.readFileSync(path.join(out, ENV, '0003-kafka.k8s.yaml'), 'utf8')).not.toContain('# from the cache');
    } finally {
      fs.rmSync(entry, { force: true });
    }
  });

  test('a replay to a standard output that cannot be written says so in one line, exit 1, the output written', () => {
    const out = path.join(work, 'out');
    const entry = entryOf(out);
    try {
      expect(synth(out).status).toBe(0);
      fs.rmSync(out, { recursive: true });
      const full = fs.openSync('/dev/full', 'w');
      try {
        const replayed = spawnSync(process.execPath, [path.join(root, 'scripts', 'launch.cjs'), 'main', '--env', ENV, '--out', out], {
          cwd: root, encoding: 'utf8', stdio: ['ignore', full, 'pipe'], env: { ...process.env, ALERT_STREAM_TIMINGS: '', ALERT_STREAM_DEBUG: '', ALERT_STREAM_SYNTH_CACHE: '' },
        });
        expect([replayed.status, replayed.stderr]).toEqual([1, 'synth: the output is written, but standard output cannot be (ENOSPC)\n']);
      } finally {
        fs.closeSync(full);
      }
      expect(fs.readdirSync(path.join(out, ENV))).toContain('0003-kafka.k8s.yaml');
    } finally {
      fs.rmSync(entry, { force: true });
    }
  });

  test('a damaged entry is a miss: synth runs and records the run again', () => {
    const out = path.join(work, 'out');
    expect(synth(out).status).toBe(0);
    const entry = entryOf(out);
    try {
      const recorded = JSON.parse(fs.readFileSync(entry, 'utf8'));
      recorded.result.folders[ENV]['0003-kafka.k8s.yaml'] = 'kind: Forged\n';
      fs.writeFileSync(entry, JSON.stringify(recorded));
      fs.rmSync(out, { recursive: true });
      expect(synth(out)).toMatchObject({ status: 0, stderr: '' });
      expect(fs.readFileSync(path.join(out, ENV, '0003-kafka.k8s.yaml'), 'utf8')).toContain('kind: Kafka');
      expect(JSON.parse(fs.readFileSync(entry, 'utf8')).result.folders[ENV]['0003-kafka.k8s.yaml']).toContain('kind: Kafka');
    } finally {
      fs.rmSync(entry, { force: true });
    }
  });
});

describe('the synth cache with an environment file', () => {
  const PROD = 'usdfprod-prompt-processing';
  const STAGING = 'usdf-staging';
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-synth-cache-file-'));
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  test('an edit of the file is synthesized, never replayed from the run before it', () => {
    const prod = environments[PROD];
    const file = path.join(work, 'staging.json');
    const out = path.join(work, 'out');
    const write = (retention: number) => fs.writeFileSync(file, JSON.stringify({
      ...prod, name: STAGING, replaces: PROD, kafka: { ...prod.kafka, config: { ...prod.kafka.config, 'log.retention.minutes': retention } },
    }));
    const synth = () => spawnSync(process.execPath, [path.join(root, 'scripts', 'launch.cjs'), 'main', '--environment-file', file, '--out', out], {
      cwd: root, encoding: 'utf8', env: { ...process.env, ALERT_STREAM_TIMINGS: '', ALERT_STREAM_DEBUG: '', ALERT_STREAM_SYNTH_CACHE: '' },
    });
    const kafka = () => fs.readFileSync(path.join(out, STAGING, '0003-kafka.k8s.yaml'), 'utf8');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { cacheKey } = require('../../scripts/synth-cache.cjs');
    const entry = path.join(root, 'build', 'synth-cache', `${cacheKey(freshManifest(), ['--environment-file', file, '--out', out], { cwd: root, env: {} })}.json`);
    try {
      write(1001);
      expect(synth()).toMatchObject({ status: 0, stderr: '' });
      expect(kafka()).toContain('log.retention.minutes: 1001');
      expect(Object.keys(JSON.parse(fs.readFileSync(entry, 'utf8')).result.inputs)).toEqual([file]);
      for (const retention of [1002, 1003]) {
        fs.rmSync(out, { recursive: true });
        write(retention);
        expect(synth()).toMatchObject({ status: 0, stderr: '' });
        expect(kafka()).toContain(`log.retention.minutes: ${retention}`);
      }
    } finally {
      fs.rmSync(entry, { force: true });
    }
  });
});
