/**
 * Tests never build a Go tool: they find it with `tools/build.sh --cached`, and a tool that is not built
 * stops the tier at once, naming the command that builds it (a cold build inside a test hook would take
 * minutes, time out and leave jest hanging).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtTool, toolFolder } from '../lib/helm-binary';

const ROOT = path.resolve(__dirname, '..');
let empty: string;
let saved: string | undefined;
beforeEach(() => {
  empty = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-tools-'));
  saved = process.env.ALERT_STREAM_TOOLS_CACHE;
  process.env.ALERT_STREAM_TOOLS_CACHE = empty;
});
afterEach(() => {
  if (saved === undefined) delete process.env.ALERT_STREAM_TOOLS_CACHE;
  else process.env.ALERT_STREAM_TOOLS_CACHE = saved;
  fs.rmSync(empty, { recursive: true, force: true });
});

test('tools/build.sh --cached finds nothing in an empty cache: exit 3, the build command named, nothing built', () => {
  const started = Date.now();
  const result = spawnSync('bash', [path.join(ROOT, 'tools', 'build.sh'), '--cached', 'sync-engine'], { encoding: 'utf8', env: process.env });
  expect(result.status).toBe(3);
  expect(result.stderr).toBe('tools/build.sh: sync-engine is not built (or its pins changed); build it first: bash tools/build.sh sync-engine\n');
  expect(fs.readdirSync(empty)).toEqual([]);
  expect(Date.now() - started).toBeLessThan(10_000);
});

test('toolFolder and builtTool say which command builds the tool', () => {
  expect(() => toolFolder('kube-apiserver', { PATH: process.env.PATH, ALERT_STREAM_TOOLS_CACHE: empty })).toThrow('kube-apiserver is not built: run `bash tools/build.sh kube-apiserver` (or `npm run build:tools` for every tool) first');
  expect(() => builtTool('helm', 'HELM', { PATH: process.env.PATH, ALERT_STREAM_TOOLS_CACHE: empty })).toThrow(/^helm is not built: run `bash tools\/build.sh helm`.*, or set HELM$/);
});

test('the cluster tier stops at once, listing every tool it lacks and the command that builds them', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const setup = require('./cluster/build-api-server.js') as () => void;
  expect(setup).toThrow('npm run test:cluster needs kube-apiserver, sync-engine, pulumi, pulumi-kubernetes built first: run `npm run build:tools`');
});

describe('a tool on PATH at the pinned version is used as it is (tools/<name>/on-path)', () => {
  /** A folder with a stand-in `helm` (test code: a shell script printing a version), for PATH. */
  const standIn = (version: string) => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'path-tools-'));
    fs.writeFileSync(path.join(bin, 'helm'), `#!/bin/sh\n[ "$1 $2 $3" = "version --template {{.Version}}" ] && echo ${version}\n`, { mode: 0o755 });
    return bin;
  };
  const cached = (bin: string, extra: NodeJS.ProcessEnv = {}) => spawnSync('bash', [path.join(ROOT, 'tools', 'build.sh'), '--cached', 'helm'], {
    encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, ...extra },
  });

  test('the pinned version on PATH: its folder, nothing built', () => {
    const pinned = fs.readFileSync(path.join(ROOT, 'tools', 'helm', 'on-path'), 'utf8').split(' ')[0];
    expect(fs.readFileSync(path.join(ROOT, 'tools', 'helm', 'go.mod'), 'utf8')).toContain(`helm.sh/helm/v3 ${pinned}`);
    const bin = standIn(pinned);
    try {
      expect(cached(bin)).toMatchObject({ status: 0, stdout: `${bin}\n` });
      expect(builtTool('helm', 'HELM', { ...process.env, PATH: `${bin}:${process.env.PATH}` })).toBe(path.join(bin, 'helm'));
      // Turned off: the cache alone (empty here).
      expect(cached(bin, { ALERT_STREAM_TOOLS_FROM_PATH: '0' }).status).toBe(3);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  test('another version on PATH is not used', () => {
    const bin = standIn('v3.16.0');
    try {
      expect(cached(bin)).toMatchObject({ status: 3, stdout: '' });
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});
