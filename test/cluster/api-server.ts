/**
 * A real Kubernetes API server for tests: kube-apiserver with an embedded etcd, built from
 * the pins of tools/kube-apiserver/ (once; later runs reuse the cached binary) and started on
 * 127.0.0.1 on a free port, in a temporary folder of its own with generated certificates.
 *
 * Test code only: this module has no dependency on the Kubernetes client, so any jest
 * project can start a server with it.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { toolFolder } from '../../lib/helm-binary';

export interface ApiServer {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** A kubeconfig for an administrator (system:masters) of this server. */
  kubeconfigPath: string;
  /** The administrator's bearer token. */
  token: string;
  /** A kubeconfig for a user with no role at all: every request but discovery is forbidden. */
  viewerKubeconfigPath: string;
  /** Stops the server and removes its folder; safe to call twice. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;

/** The test-apiserver binary (built by `tools/build.sh kube-apiserver` before the tests; found, never built, here). */
export function apiServerBinary(): string {
  return path.join(toolFolder('kube-apiserver'), 'test-apiserver');
}

export async function startApiServer(): Promise<ApiServer> {
  const binary = apiServerBinary();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-apiserver-'));
  const logPath = path.join(dir, 'apiserver.log');
  const log = fs.openSync(logPath, 'w');
  const port = await freePort();
  // stdin stays open as a pipe: the server shuts down when it closes, so it cannot outlive
  // this process even when jest is killed without running any teardown.
  const child = spawn(binary, ['--dir', dir, '--port', String(port), '--stop-on-stdin-eof'], {
    stdio: ['pipe', log, log],
  });
  fs.closeSync(log);
  const killOnExit = () => {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', killOnExit);

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    await terminate(child);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const url = `https://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, dir, child);
    const ca = fs.readFileSync(path.join(dir, 'ca.crt'));
    const token = fs.readFileSync(path.join(dir, 'admin.token'), 'utf8');
    const viewerToken = fs.readFileSync(path.join(dir, 'viewer.token'), 'utf8');
    const kubeconfigPath = writeKubeconfig(dir, 'admin', url, ca, token);
    const viewerKubeconfigPath = writeKubeconfig(dir, 'viewer', url, ca, viewerToken);
    return { url, kubeconfigPath, token, viewerKubeconfigPath, stop };
  } catch (error) {
    const tail = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8').split('\n').slice(-40).join('\n') : '';
    await stop();
    throw new Error(`the test API server did not start: ${(error as Error).message}\n--- last lines of its log ---\n${tail}`, { cause: error });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(url: string, dir: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    }
    const tokenFile = path.join(dir, 'admin.token');
    if (fs.existsSync(tokenFile)) {
      const status = await readyz(url, fs.readFileSync(path.join(dir, 'ca.crt')), fs.readFileSync(tokenFile, 'utf8'));
      if (status === 200) return;
      last = `/readyz answered ${status}`;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`not ready after ${READY_TIMEOUT_MS / 1000}s (${last})`);
}

function readyz(url: string, ca: Buffer, token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = https.get(`${url}/readyz`, { ca, headers: { Authorization: `Bearer ${token}` }, timeout: 5000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error) => resolve(error.message));
  });
}

function writeKubeconfig(dir: string, user: string, server: string, ca: Buffer, token: string): string {
  const file = path.join(dir, `${user}.kubeconfig`);
  fs.writeFileSync(file, stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'test-apiserver', cluster: { server, 'certificate-authority-data': ca.toString('base64') } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: 'test-apiserver', user, namespace: 'default' } }],
    'current-context': user,
  }), { mode: 0o600 });
  return file;
}

/** SIGTERM (the server shuts down in order), SIGKILL if it has not exited after 20 s. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}
