/**
 * `validate --server` against a server that is not a well-behaved Kubernetes API server, and against
 * kubeconfigs that cannot be used: every case is one line and exit 2, bounded by --timeout, nothing raw.
 * The servers here are test code on 127.0.0.1 (plain HTTP), each stopped by the test that started it.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runValidate } from '../../cli/validate';
import { runCommandAsync } from '../helpers';

let server: http.Server | undefined;
let work: string;
beforeEach(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'odd-servers-')); });
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  fs.rmSync(work, { recursive: true, force: true });
});

const serve = async (answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) => {
  server = http.createServer(answer);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

/** A kubeconfig with one context `test` on `url`, and the user given. */
const kubeconfig = (url: string, user: Record<string, unknown> = { token: 't' }) => {
  const file = path.join(work, 'kubeconfig');
  fs.writeFileSync(file, JSON.stringify({
    apiVersion: 'v1', kind: 'Config', 'current-context': 'test',
    clusters: [{ name: 'c', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
    contexts: [{ name: 'test', context: { cluster: 'c', user: 'u' } }],
    users: [{ name: 'u', user }],
  }));
  return file;
};
const validate = (file: string, extra: string[] = []) => runCommandAsync(runValidate, ['--server', '--kubeconfig', file, '--env', 'local-bootstrap', ...extra]);
const oneLine = (result: { code: number; stdout: string; stderr: string }) => {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.split('\n')).toHaveLength(2);
  // eslint-disable-next-line no-control-regex
  expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]|\n\s+at /);
  return result.stderr;
};

test('a server that accepts and never answers: one line naming the address and the timeout, exit 2', async () => {
  const url = await serve(() => undefined);
  const started = Date.now();
  expect(oneLine(await validate(kubeconfig(url), ['--timeout', '0.5']))).toBe(`validate: the cluster of context 'test' at ${url} did not answer within 0.5 s (--timeout 0.5)\n`);
  expect(Date.now() - started).toBeLessThan(5000);
});

test('a server that sends headers and then nothing is bounded too', async () => {
  const url = await serve((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"gitVersion":'); });
  expect(oneLine(await validate(kubeconfig(url), ['--timeout', '0.5']))).toMatch(/did not (send a whole answer|answer) within 0\.5 s/);
});

test.each([
  ['an HTML page', 'text/html', '<html>\u001b[2J<body>proxy login</body></html>', /answered \/version with something that is not a JSON object \(<html>\\u001b\[2J<body>proxy login/],
  ['invalid JSON', 'application/json', '{"gitVersion": ', /answered \/version with something that is not a JSON object/],
  ['JSON without a version', 'application/json', '{"kind": "Status"}', /answered \/version without a gitVersion: is it a Kubernetes API server\?/],
  ['an empty body', 'application/json', '', /not a JSON object \(an empty body\)/],
])('%s with 200 is "could not check", exit 2', async (_what, type, body, message) => {
  const url = await serve((_req, res) => { res.writeHead(200, { 'content-type': type }); res.end(body); });
  expect(oneLine(await validate(kubeconfig(url)))).toMatch(message);
});

test('an exec credential plugin that is not installed: one line naming the kubeconfig and the plugin', async () => {
  const url = await serve((_req, res) => res.end('{}'));
  const file = kubeconfig(url, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'kubelogin-not-installed', args: ['get-token'] } });
  expect(oneLine(await validate(file))).toBe(`validate: the credentials of the kubeconfig ${file} (context 'test') cannot be had: its exec plugin 'kubelogin-not-installed' is not installed (not found on PATH)\n`);
});

test('an exec plugin that never finishes is bounded by --timeout', async () => {
  const url = await serve((_req, res) => res.end('{}'));
  const file = kubeconfig(url, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', 'setTimeout(() => {}, 3000)'] } });
  expect(oneLine(await validate(file, ['--timeout', '0.5']))).toMatch(/were not ready within 0\.5 s \(--timeout 0\.5\): its exec plugin does not finish\n$/);
});

test('an exec plugin that fails or prints no credential says so in one line', async () => {
  const url = await serve((_req, res) => res.end('{}'));
  const failing = kubeconfig(url, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', 'console.error("token expired\\nline two"); process.exit(3)'] } });
  expect(oneLine(await validate(failing))).toMatch(/cannot be had: its exec plugin failed: token expired\n$/);
  const noJson = kubeconfig(url, { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: ['-e', 'console.log("hello")'] } });
  expect(oneLine(await validate(noJson))).toMatch(/its exec plugin did not print an ExecCredential \(not JSON/);
});

test.each([
  ['a YAML list', '- a\n- b\n'],
  ['a plain word', 'hello\n'],
  ['an empty file', ''],
  ['a mapping without clusters or contexts', 'apiVersion: v1\nkind: Config\n'],
])('a file that is not a kubeconfig (%s) is one line naming it', async (_what, text) => {
  const file = path.join(work, 'not-a-kubeconfig');
  fs.writeFileSync(file, text);
  expect(oneLine(await validate(file))).toMatch(new RegExp(`^validate: (cannot read the kubeconfig ${file}: not a kubeconfig|${file} is not a kubeconfig)`));
});

test('a cluster without a server URL is named', async () => {
  const file = kubeconfig('');
  expect(oneLine(await validate(file))).toMatch(/^validate: cannot read the kubeconfig .*: not a kubeconfig \(clusters\[0\]\.cluster\.server is missing\)\n$/);
});
