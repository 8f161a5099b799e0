import { environments } from '../../lib/environments';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { runSynth } from '../../cli/synth';
import { runValidate } from '../../cli/validate';
import { runCommand, SHARED_CRDS } from '../helpers';

const run = (argv: string[]) => runCommand(runValidate, argv);

let work: string;
let dist: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-test-'));
  dist = path.join(work, 'dist');
  expect(runSynth(['--out', dist], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A copy of dist with one file edited. */
function corrupted(file: string, edit: (text: string) => string): string {
  const copy = fs.mkdtempSync(path.join(work, 'bad-'));
  fs.cpSync(dist, copy, { recursive: true });
  const target = path.join(copy, 'usdfprod-prompt-processing', file);
  fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
  return copy;
}

describe('npm run validate', () => {
  test('both environments pass against ../shared/crds, synthesized in memory', () => {
    const result = run(['--crds', SHARED_CRDS]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^usdfdev-prompt-processing: 8 files \(synthesized in memory\), 0 errors, 0 warnings; schemas: 18 CRD versions/m);
    expect(result.stdout).toMatch(/^usdfprod-prompt-processing: 8 files \(synthesized in memory\), 0 errors, 0 warnings;/m);
  });

  test('reports the nodes the required anti-affinity needs, per environment', () => {
    const result = run(['--crds', SHARED_CRDS]);
    expect(result.stdout).toContain('usdfdev-prompt-processing: the Kafka pods need at least 9 schedulable nodes');
    expect(result.stdout).toContain('usdfprod-prompt-processing: the Kafka pods need at least 11 schedulable nodes');
  });

  test('passes on the written dist/ folder', () => {
    expect(run(['--crds', SHARED_CRDS, '--dir', dist]).code).toBe(0);
  });

  test('fails on a corrupted copy with file, object, JSON path and what is wrong', () => {
    const bad = corrupted('0002-broker-pool.k8s.yaml', (t) => t.replace('replicas: 5', 'replicas: "5"').replace('deleteClaim: false', 'deleteClaims: false'));
    const result = run(['--crds', SHARED_CRDS, '--dir', bad, '--env', 'usdfprod-prompt-processing']);
    expect(result.code).toBe(1);
    const file = path.join(bad, 'usdfprod-prompt-processing', '0002-broker-pool.k8s.yaml');
    expect(result.stdout).toContain(`${file}: KafkaNodePool/kafka /spec/replicas: must be integer\n`);
    expect(result.stdout).toContain(`${file}: KafkaNodePool/kafka /spec/storage/volumes/0: unknown field 'deleteClaims'\n`);
    expect(result.stdout).toMatch(/usdfprod-prompt-processing: 8 files .*, 2 errors, 0 warnings/);
  });

  test('fails on an unknown kind and on broken YAML', () => {
    const bad = corrupted('0005-registry-ingress.k8s.yaml', (t) => `${t}---\napiVersion: example.org/v1\nkind: Widget\nmetadata:\n  name: w\n---\nkey: [unclosed\n`);
    const result = run(['--crds', SHARED_CRDS, '--dir', bad, '--env', 'usdfprod-prompt-processing']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Widget/w /apiVersion: unknown kind example.org/v1 Widget: no CRD for it was loaded and it is not a core Kubernetes kind');
    expect(result.stdout).toMatch(/0005-registry-ingress\.k8s\.yaml: \(document \d+\) line \d+: not valid YAML/);
  });

  test('accepts CRDs as `kubectl get crd -o yaml` prints them (a List)', () => {
    const crds = path.join(work, 'live-crds');
    fs.mkdirSync(crds);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseAllDocuments } = require('yaml');
    const items = fs.readdirSync(SHARED_CRDS).filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(SHARED_CRDS, f), 'utf8')).map((d: any) => d.toJS()))
      .filter((d: any) => d?.kind === 'CustomResourceDefinition');
    fs.writeFileSync(path.join(crds, 'live.yaml'), stringify({ apiVersion: 'v1', kind: 'List', items }));
    expect(run(['--crds', crds]).code).toBe(0);
  });

  test('a CRD folder that lacks a kind reports every object of it', () => {
    const crds = path.join(work, 'few-crds');
    fs.mkdirSync(crds);
    fs.copyFileSync(path.join(SHARED_CRDS, '045-Crd-kafkanodepool.yaml'), path.join(crds, 'pools.yaml'));
    const result = run(['--crds', crds, '--env', 'usdfprod-prompt-processing']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Kafka/sasquatch /apiVersion: unknown kind kafka.strimzi.io/v1 Kafka');
  });

  test.each([
    [['--crds', '/nonexistent/crds'], 'validate: cannot read the CRD folder /nonexistent/crds: ENOENT\n'],
    [['--crds', __dirname], `validate: no CustomResourceDefinition with a schema found in ${__dirname}\n`],
    [['--env', 'nope'], `validate: unknown environment 'nope'; known environments: ${Object.keys(environments).join(', ')}\n`],
  ])('exits 2 with one clear line for %p', (argv, stderr) => {
    expect(run(argv as string[])).toMatchObject({ code: 2, stderr });
  });

  test('exits 2 when the output folder has no manifests for the environment', () => {
    const result = run(['--crds', SHARED_CRDS, '--dir', path.join(work, 'empty'), '--env', 'usdfdev-prompt-processing']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('(run `npm run synth -- --env usdfdev-prompt-processing --out');
  });

  test('--kubeconfig and --context need --server; --crds does not go with it', () => {
    const alone = run(['--kubeconfig', '/tmp/k']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toMatch(/^validate: --kubeconfig, --context and --timeout need --server\n/);
    const both = run(['--server', '--crds', SHARED_CRDS]);
    expect(both).toEqual({ code: 2, stdout: '', stderr: "validate: --crds is for offline validation; with --server the cluster's own CRDs decide\n" });
  });
});
