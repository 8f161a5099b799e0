/**
 * The schema-sync Job's last container: it exits 0 only when the registry has every schema the image holds,
 * by id and under its per-version subject, and the subject it loaded. Run with the real python3 against a
 * registry stand-in on 127.0.0.1 (test code), with a stand-in for the image's `lsst.alert.packet` (test code:
 * the package is in the image, not on this machine) that knows two schema versions.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { environments } from '../../lib/environments';
import { findObject } from '../helpers';

const job = findObject(environments['usdfprod-prompt-processing'], 'Job', 'sasquatch-sync-schema');
const [, , script] = job.spec.template.spec.containers[0].command as string[];

let work: string;
let server: http.Server | undefined;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-check-'));
  const pkg = path.join(work, 'lsst', 'alert', 'packet');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(work, 'lsst', '__init__.py'), '');
  fs.writeFileSync(path.join(work, 'lsst', 'alert', '__init__.py'), '');
  fs.writeFileSync(path.join(pkg, '__init__.py'), 'from . import schemaRegistry\n');
  fs.writeFileSync(path.join(pkg, 'schemaRegistry.py'), [
    '# Stand-in (test code) for lsst.alert.packet.schemaRegistry: two schema versions.',
    'class SchemaRegistry:',
    '    def all_schemas_from_filesystem(self):',
    '        self._version_to_id = {"7.0": 700, "11.0": 1100}',
    '        return self',
    '    @property',
    '    def known_ids(self):',
    '        return set(self._version_to_id.values())',
    '',
  ].join('\n'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A registry stand-in answering 200 for these paths and 404 for any other. */
const registryWith = async (paths: readonly string[]) => {
  server = http.createServer((req, res) => {
    res.writeHead(paths.includes(req.url ?? '') ? 200 : 404, { 'content-type': 'application/json' });
    res.end('{}');
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const check = (url: string) => new Promise<{ code: number; out: string }>((resolve) => {
  execFile('python3', ['-c', script, url, 'alert-packet'], { env: { ...process.env, PYTHONPATH: work }, timeout: 30_000 }, (error, stdout, stderr) =>
    resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }));
});

const EVERYTHING = ['/schemas/ids/700', '/schemas/ids/1100', '/subjects/lsst-alerts-v7.0-value/versions/latest', '/subjects/lsst-alerts-v11.0-value/versions/latest', '/subjects/alert-packet/versions'];

test('every schema there: exit 0, saying how many', async () => {
  expect(await check(await registryWith(EVERYTHING))).toEqual({ code: 0, out: expect.stringContaining('2 schemas in the registry') });
});

test.each(EVERYTHING)('%s missing: the job fails, naming it', async (missing) => {
  const result = await check(await registryWith(EVERYTHING.filter((p) => p !== missing)));
  expect(result.code).not.toBe(0);
  expect(result.out).toContain(`schemas not in the registry: `);
  expect(result.out).toContain(missing);
});
