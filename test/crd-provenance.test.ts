/**
 * Provenance of the CRDs the project reads: cdk8s.yaml names each one's upstream release file and
 * SHA-256; ../shared/crds, the offline mirror the tests and CI use, is checked against those pins; and
 * `npm run crds` fetches them (here from a local HTTP server on 127.0.0.1 serving ../shared/crds under
 * the upstream paths, stopped by the test: this machine has no other network).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { SHARED_CRDS } from './helpers';

const ROOT = path.resolve(__dirname, '..');
interface Pin { import: string; file: string; source: string; tag: string; commit: string; url: string; sha256: string }
const config = parse(fs.readFileSync(path.join(ROOT, 'cdk8s.yaml'), 'utf8')) as { imports: string[]; crds: Pin[] };
const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

describe('cdk8s.yaml pins every CRD', () => {
  test('every import names a pinned file of ../shared/crds, and every pin an import', () => {
    const imports = config.imports.map((line) => line.split(':='));
    expect(imports.length).toBeGreaterThan(5);
    for (const [name, source] of imports) {
      expect([name, path.dirname(source)]).toEqual([name, '../shared/crds']);
      expect(config.crds.find((c) => c.import === name)?.file).toBe(path.basename(source));
    }
    expect(config.crds.map((c) => c.import).sort()).toEqual(imports.map(([name]) => name).sort());
  });

  test('each pin is an upstream release file: its repository, tag and commit, by URL and SHA-256', () => {
    for (const crd of config.crds) {
      expect(crd.url).toMatch(new RegExp(`^https://raw\\.githubusercontent\\.com/${crd.source}/${crd.tag.replace(/\./g, '\\.')}/.+/${crd.file.replace(/\./g, '\\.')}$`));
      expect(crd.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(crd.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(new Set(config.crds.map((c) => c.source))).toEqual(new Set([
      'strimzi/strimzi-kafka-operator', 'kedacore/keda', 'lsst-sqre/strimzi-registry-operator', 'ricoberger/vault-secrets-operator', 'lsst-sqre/gafaelfawr', 'prometheus-operator/prometheus-operator',
    ]));
  });

  test('../shared/crds, the offline mirror, matches every pin, and holds no CRD without one', () => {
    for (const crd of config.crds) expect([crd.file, sha256(fs.readFileSync(path.join(SHARED_CRDS, crd.file)))]).toEqual([crd.file, crd.sha256]);
    const files = fs.readdirSync(SHARED_CRDS).filter((f) => /\.ya?ml$/.test(f));
    expect(files.sort()).toEqual(config.crds.map((c) => c.file).sort());
  });

  test("the pins agree with ../shared/crds/README.md's table (where the files were copied from)", () => {
    const rows = fs.readFileSync(path.join(SHARED_CRDS, 'README.md'), 'utf8').split('\n').filter((l) => /^\| `[^`]+\.yaml` \|/.test(l));
    expect(rows.length).toBe(config.crds.length);
    for (const row of rows) {
      const cells = row.split('|').map((c) => c.trim().replace(/`/g, ''));
      const crd = config.crds.find((c) => c.file === cells[1]);
      expect(crd?.file).toBe(cells[1]);
      // The README names Phalanx's copy of the Gafaelfawr CRD, byte-identical to Gafaelfawr's own at the tag pinned here.
      if (crd!.source !== 'lsst-sqre/gafaelfawr') {
        expect([crd!.file, cells[4], `${cells[6]}`]).toEqual([crd!.file, crd!.source, `${crd!.tag} (${crd!.commit})`]);
        expect(crd!.url.endsWith(`/${cells[5]}`)).toBe(true);
      }
      expect([crd!.file, cells[8]]).toEqual([crd!.file, crd!.sha256]);
    }
  });
});

describe('npm run crds (scripts/crds.mjs) against a local server', () => {
  // Each test starts Node twice at most; a loaded machine (2 cores shared) takes seconds for that.
  jest.setTimeout(60_000);
  type Mode = 'serve' | 'tamper' | 'hang';
  let mode: Mode = 'serve';
  const requests: string[] = [];
  const byPath = new Map(config.crds.map((c) => [new URL(c.url).pathname, c.file]));
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    if (mode === 'hang') return; // never answers: the client's timeout must end it
    const file = byPath.get(req.url ?? '');
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    let body = fs.readFileSync(path.join(SHARED_CRDS, file));
    if (mode === 'tamper' && file === '040-Crd-kafka.yaml') body = Buffer.concat([body, Buffer.from('# changed\n')]);
    res.writeHead(200, { 'content-type': 'application/yaml' }).end(body);
  });
  let origin: string;
  let dir: string;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    requests.length = 0;
    mode = 'serve';
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const crds = (args: string[]) => new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'crds.mjs'), ...args], { cwd: ROOT, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

  test('fetches every CRD under its upstream path, each matching its pin; again, fetches nothing', async () => {
    const first = await crds(['--origin', origin, '--into', dir]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(`crds: ${config.crds.length} of ${config.crds.length} CRDs in ${dir} match their pins (${config.crds.length} fetched, 0 already there)\n`);
    expect(requests.sort()).toEqual([...byPath.keys()].sort());
    for (const crd of config.crds) expect(sha256(fs.readFileSync(path.join(dir, crd.file)))).toBe(crd.sha256);
    requests.length = 0;
    const again = await crds(['--origin', origin, '--into', dir]);
    expect(again.code).toBe(0);
    expect(requests).toEqual([]);
  });

  test('a file that does not match its pin is named with both hashes and not written; exit 1', async () => {
    mode = 'tamper';
    const r = await crds(['--origin', origin, '--into', dir]);
    expect(r.code).toBe(1);
    const kafka = config.crds.find((c) => c.file === '040-Crd-kafka.yaml')!;
    const got = sha256(Buffer.concat([fs.readFileSync(path.join(SHARED_CRDS, kafka.file)), Buffer.from('# changed\n')]));
    expect(r.stderr).toBe(`crds: 040-Crd-kafka.yaml: ${origin}${new URL(kafka.url).pathname} has sha256 ${got}, but cdk8s.yaml pins ${kafka.sha256}; not written\n`);
    expect(fs.existsSync(path.join(dir, kafka.file))).toBe(false);
    expect(fs.readdirSync(dir).length).toBe(config.crds.length - 1);
  });

  test('a server that never answers is given up after --timeout: exit 2, naming the URL', async () => {
    mode = 'hang';
    const started = Date.now();
    const r = await crds(['--origin', origin, '--into', dir, '--timeout', '0.5']);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(config.crds.length);
    expect(r.stderr).toContain(`crds: 040-Crd-kafka.yaml: could not fetch ${origin}/strimzi/strimzi-kafka-operator/0.51.0/install/cluster-operator/040-Crd-kafka.yaml: no answer within 0.5 s\n`);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  test('usage mistakes exit 2 with one line', async () => {
    const r = await crds(['--timeout', 'soon']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'crds: --timeout must be a positive number of seconds, not soon\n' });
  });
});
