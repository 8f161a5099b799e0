/**
 * scripts/synth-cache.cjs: a synth's output is replayed only for the very program, arguments and place it was
 * recorded for, only where a run could not have done anything else, and never from a damaged entry.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cache = require('../scripts/synth-cache.cjs');

const MANIFEST = {
  node: 'v24.0.0',
  files: {
    'build/main.bundle.js': { sha256: 'a'.repeat(64), stat: '1:2:3:4' },
    'environments/dev.ts': { sha256: 'b'.repeat(64), stat: '1:2:3:5' },
    'build/env/dev.js': { sha256: 'c'.repeat(64), stat: null },
  },
  bundles: { main: 'a'.repeat(64), cli: 'd'.repeat(64) },
  environments: { dev: { module: 'build/env/dev.js' } },
  dirs: { environments: ['dev.ts'] },
};
const ARGV = ['--env', 'dev', '--out', 'dist'];
const CONTEXT = { cwd: '/project', env: {}, node: 'v24.0.0' };
const key = (changes: Partial<typeof CONTEXT> = {}, manifest: unknown = MANIFEST, argv = ARGV) => cache.cacheKey(manifest, argv, { ...CONTEXT, ...changes });

let work: string;
beforeEach(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-cache-'));
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

const FILES = new Map([['0000-a.k8s.yaml', 'kind: A\n'], ['0001-b.k8s.yaml', 'kind: B\n']]);
const result = (outdir: string, inputs = new Map<string, string>()) => ({ outdir, folders: new Map([['dev', FILES]]), stdout: `dev: 0000-a.k8s.yaml, 0001-b.k8s.yaml -> ${outdir}/dev\n`, inputs });
const listing = (dir: string) => fs.readdirSync(dir, { recursive: true }).map(String).sort();

describe('the key: everything the output depends on', () => {
  test('is the same for the same program, arguments and place', () => {
    expect(key()).toBe(key());
    expect(key()).toMatch(/^[0-9a-f]{64}$/);
  });

  test.each([
    ['a source file', (m: typeof MANIFEST) => { m.files['environments/dev.ts'].sha256 = 'e'.repeat(64); }],
    ['an environment module', (m: typeof MANIFEST) => { m.files['build/env/dev.js'].sha256 = 'e'.repeat(64); }],
    ['a file added to the build', (m: typeof MANIFEST) => { (m.files as Record<string, unknown>)['lib/x.ts'] = { sha256: 'f'.repeat(64) }; }],
    ['the bundle', (m: typeof MANIFEST) => { m.bundles.main = 'e'.repeat(64); }],
    ['the other bundle', (m: typeof MANIFEST) => { m.bundles.cli = 'e'.repeat(64); }],
    ['which module an environment loads', (m: typeof MANIFEST) => { m.environments.dev.module = 'build/env/other.js'; }],
    ['a folder listing', (m: typeof MANIFEST) => { m.dirs.environments = ['dev.ts', 'new.ts']; }],
  ])('changes with %s', (_what, change) => {
    const other = structuredClone(MANIFEST);
    change(other);
    expect(key({}, other)).not.toBe(key());
  });

  test('does not change with a file\'s stat alone (a checkout, a touch)', () => {
    const other = structuredClone(MANIFEST);
    other.files['environments/dev.ts'].stat = 'other';
    expect(key({}, other)).toBe(key());
  });

  test.each([
    ['the arguments', () => key({}, MANIFEST, ['--env', 'dev', '--out', 'elsewhere'])],
    ['their order', () => key({}, MANIFEST, ['--out', 'dist', '--env', 'dev'])],
    ['the working directory', () => key({ cwd: '/other' })],
    ['CDK8S_OUTDIR set', () => key({ env: { CDK8S_OUTDIR: 'dist' } })],
    ['CDK8S_OUTDIR set empty', () => key({ env: { CDK8S_OUTDIR: '' } })],
    ['the Node version', () => key({ node: 'v24.0.1' })],
  ])('changes with %s', (_what, other) => {
    expect(other()).not.toBe(key());
  });
});

describe('replay', () => {
  test('writes what was recorded into an absent folder and gives back what the run printed', () => {
    const out = path.join(work, 'out');
    cache.record(path.join(work, 'cache'), key(), result(out));
    expect(cache.replay(path.join(work, 'cache'), key())).toBe(result(out).stdout);
    expect(listing(out)).toEqual(['dev', 'dev/0000-a.k8s.yaml', 'dev/0001-b.k8s.yaml']);
    expect(fs.readFileSync(path.join(out, 'dev', '0001-b.k8s.yaml'), 'utf8')).toBe('kind: B\n');
  });

  test('leaves a folder that already holds exactly those files as it is', () => {
    const out = path.join(work, 'out');
    cache.record(path.join(work, 'cache'), key(), result(out));
    cache.replay(path.join(work, 'cache'), key());
    const before = fs.statSync(path.join(out, 'dev', '0000-a.k8s.yaml')).ino;
    expect(cache.replay(path.join(work, 'cache'), key())).toBe(result(out).stdout);
    expect(fs.statSync(path.join(out, 'dev', '0000-a.k8s.yaml')).ino).toBe(before);
  });

  test.each([
    ['a file changed', (dir: string) => fs.writeFileSync(path.join(dir, '0000-a.k8s.yaml'), 'kind: Changed\n')],
    ['a file missing', (dir: string) => fs.rmSync(path.join(dir, '0001-b.k8s.yaml'))],
    ['a file more', (dir: string) => fs.writeFileSync(path.join(dir, 'notes.txt'), 'x\n')],
    ['a file more in a subfolder', (dir: string) => { fs.mkdirSync(path.join(dir, 'sub')); fs.writeFileSync(path.join(dir, 'sub', 'x'), 'x'); }],
  ])('is a miss, writing nothing, when the folder holds anything else: %s', (_what, change) => {
    const out = path.join(work, 'out');
    cache.record(path.join(work, 'cache'), key(), result(out));
    cache.replay(path.join(work, 'cache'), key());
    change(path.join(out, 'dev'));
    const before = listing(out).map((f) => [f, fs.statSync(path.join(out, f)).isFile() ? fs.readFileSync(path.join(out, f), 'utf8') : '']);
    expect(cache.replay(path.join(work, 'cache'), key())).toBeUndefined();
    expect(listing(out).map((f) => [f, fs.statSync(path.join(out, f)).isFile() ? fs.readFileSync(path.join(out, f), 'utf8') : ''])).toEqual(before);
  });

  test('is a miss, writing nothing, when the output folder cannot be made (a file stands there)', () => {
    const out = path.join(work, 'out');
    fs.writeFileSync(out, 'a file');
    cache.record(path.join(work, 'cache'), key(), result(out));
    expect(cache.replay(path.join(work, 'cache'), key())).toBeUndefined();
    expect(fs.readFileSync(out, 'utf8')).toBe('a file');
    expect(fs.readdirSync(work).sort()).toEqual(['cache', 'out']);
  });

  describe('of a run that read environment files', () => {
    const setUp = () => {
      const file = path.join(work, 'staging.json');
      fs.writeFileSync(file, '{"name":"staging"}\n');
      cache.record(path.join(work, 'cache'), key(), result(path.join(work, 'out'), new Map([[file, '{"name":"staging"}\n']])));
      return file;
    };

    test('replays while each file holds what the run read', () => {
      setUp();
      expect(cache.replay(path.join(work, 'cache'), key())).toBeDefined();
      expect(fs.existsSync(path.join(work, 'out', 'dev'))).toBe(true);
    });

    test.each([
      ['edited', (file: string) => fs.writeFileSync(file, '{"name":"staging2"}\n')],
      ['edited to the same length', (file: string) => fs.writeFileSync(file, '{"name":"stagimg"}\n')],
      ['removed', (file: string) => fs.rmSync(file)],
      ['replaced by a folder', (file: string) => { fs.rmSync(file); fs.mkdirSync(file); }],
    ])('is a miss, writing nothing, once a file is %s', (_what, change) => {
      change(setUp());
      expect(cache.replay(path.join(work, 'cache'), key())).toBeUndefined();
      expect(fs.existsSync(path.join(work, 'out'))).toBe(false);
    });
  });

  test('is a miss for another key, and when nothing was recorded', () => {
    cache.record(path.join(work, 'cache'), key(), result(path.join(work, 'out')));
    expect(cache.replay(path.join(work, 'cache'), key({ cwd: '/other' }))).toBeUndefined();
    expect(cache.replay(path.join(work, 'nothing'), key())).toBeUndefined();
    expect(fs.existsSync(path.join(work, 'out'))).toBe(false);
  });

  test.each([
    ['its content edited', (e: { result: { folders: Record<string, Record<string, string>> } }) => { e.result.folders.dev['0000-a.k8s.yaml'] = 'kind: Forged\n'; }],
    ['its checksum edited', (e: { sha256: string }) => { e.sha256 = '0'.repeat(64); }],
    ['another key inside', (e: { key: string }) => { e.key = '0'.repeat(64); }],
    ['its fields of the wrong type', (e: { result: { outdir: unknown } }) => { e.result.outdir = 7; }],
    ['its inputs missing', (e: { result: { inputs: unknown } }) => { e.result.inputs = null; }],
  ])('is a miss for a damaged entry: %s', (_what, damage) => {
    const dir = path.join(work, 'cache');
    cache.record(dir, key(), result(path.join(work, 'out')));
    const file = path.join(dir, `${key()}.json`);
    const entry = JSON.parse(fs.readFileSync(file, 'utf8'));
    damage(entry);
    fs.writeFileSync(file, JSON.stringify(entry));
    expect(cache.replay(dir, key())).toBeUndefined();
    expect(fs.existsSync(path.join(work, 'out'))).toBe(false);
  });

  test('is a miss for an entry cut short or not JSON', () => {
    const dir = path.join(work, 'cache');
    cache.record(dir, key(), result(path.join(work, 'out')));
    const file = path.join(dir, `${key()}.json`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 50));
    expect(cache.replay(dir, key())).toBeUndefined();
    fs.writeFileSync(file, 'null');
    expect(cache.replay(dir, key())).toBeUndefined();
  });
});

describe('record', () => {
  test('keeps only the newest entries', () => {
    const dir = path.join(work, 'cache');
    const keys = Array.from({ length: cache.KEEP + 3 }, (_, i) => key({ cwd: `/p${i}` }));
    keys.forEach((k: string, i: number) => {
      cache.record(dir, k, result(path.join(work, 'out')));
      const t = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
      fs.utimesSync(path.join(dir, `${k}.json`), t, t);
    });
    cache.record(dir, keys[keys.length - 1], result(path.join(work, 'out')));
    const kept = fs.readdirSync(dir).map((f) => f.replace(/\.json$/, '')).sort();
    expect(kept).toEqual(keys.slice(3).sort());
  });

  test('never fails the run: a cache folder that cannot be made only costs the next run its time', () => {
    fs.writeFileSync(path.join(work, 'cache'), 'a file');
    expect(() => cache.record(path.join(work, 'cache'), key(), result(path.join(work, 'out')))).not.toThrow();
  });
});

test.each([
  [{}, true],
  [{ ALERT_STREAM_SYNTH_CACHE: 'off' }, false],
  [{ ALERT_STREAM_SYNTH_CACHE: 'on' }, true],
  [{ ALERT_STREAM_TIMINGS: '1' }, false],
  [{ ALERT_STREAM_DEBUG: '1' }, false],
])('in use with %j: %s', (env, expected) => {
  expect(cache.enabled(env)).toBe(expected);
});
