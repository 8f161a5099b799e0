import { environments } from '../../lib/environments';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
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

describe('validate finds unknown fields of core objects offline, as strict field validation does', () => {
  const FILE = '0007-services.k8s.yaml';
  /** Validates a copy of the output whose first object of `kind` was changed by `edit`. */
  const validateEdited = (kind: string, edit: (o: any) => void) => {
    const bad = corrupted(FILE, (text) => {
      const docs = parseAllDocuments(text).map((d) => d.toJS());
      edit(docs.find((d) => d.kind === kind));
      return docs.map((d) => stringify(d)).join('---\n');
    });
    return { result: run(['--crds', SHARED_CRDS, '--dir', bad, '--env', 'usdfprod-prompt-processing']), file: path.join(bad, 'usdfprod-prompt-processing', FILE) };
  };

  test.each([
    ['a misspelled container field', 'Deployment', (o: any) => { o.spec.template.spec.containers[0].imagePullPolcy = 'Always'; }, "Deployment/NAME /spec/template/spec/containers/0: unknown field 'imagePullPolcy'"],
    ['a misspelled pod field', 'Deployment', (o: any) => { o.spec.template.spec.serviceAcountName = 'x'; }, "Deployment/NAME /spec/template/spec: unknown field 'serviceAcountName'"],
    ['an unknown metadata field', 'Service', (o: any) => { o.metadata.labelz = {}; }, "Service/NAME /metadata: unknown field 'labelz'"],
    ['an unknown top-level field', 'ServiceAccount', (o: any) => { o.specs = {}; }, "ServiceAccount/NAME /: unknown field 'specs'"],
    ['an unknown field in a NetworkPolicy rule', 'NetworkPolicy', (o: any) => { o.spec.egress[0].too = []; }, "NetworkPolicy/NAME /spec/egress/0: unknown field 'too'"],
    ['an unknown field of a probe', 'Deployment', (o: any) => { o.spec.template.spec.containers[0].livenessProbe = { httpGet: { port: 8080, pathh: '/' } }; }, "Deployment/NAME /spec/template/spec/containers/0/livenessProbe/httpGet: unknown field 'pathh'"],
  ])('%s is an error naming Kind/name and the JSON path', (_what, kind, edit, finding) => {
    const { result, file } = validateEdited(kind, edit);
    expect(result.code).toBe(1);
    const [prefix, suffix] = finding.split('NAME');
    expect(result.stdout.split('\n').filter((l) => l.startsWith(`${file}: ${prefix}`) && l.endsWith(suffix))).toHaveLength(1);
  });

  test('free-form maps (labels, annotations, selectors, resources) take any key', () => {
    const { result } = validateEdited('Deployment', (o) => {
      o.metadata.annotations = { 'any.example.org/key': 'v', 'a~b': 'w' };
      o.spec.template.spec.containers[0].resources.limits['example.org/gpu'] = '1';
    });
    expect(result.stdout).not.toMatch(/unknown field/);
    expect(result.code).toBe(0);
  });
});

describe('every finding names the object as Kind/name when the document has them', () => {
  test.each([
    ['no apiVersion', 'kind: Widget\nmetadata:\n  name: w\n', 'Widget/w /: not a Kubernetes object: apiVersion missing or not a string'],
    ['broken YAML after kind and name', 'kind: Widget\nmetadata:\n  name: w\nspec: [unclosed\n', 'Widget/w line'],
    ['a kind but no name', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', 'ConfigMap/<no name> (document 2) /: not a Kubernetes object: metadata.name missing'],
    ['neither', '- a list\n', '(document 2) /: not a Kubernetes object'],
  ])('%s', (_what, document, named) => {
    const bad = corrupted('0005-registry-ingress.k8s.yaml', (t) => `${t}---\n${document}`);
    const result = run(['--crds', SHARED_CRDS, '--dir', bad, '--env', 'usdfprod-prompt-processing']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`0005-registry-ingress.k8s.yaml: ${named}`);
  });
});

test('control bytes in a file are escaped in the findings that quote it', () => {
  const bad = corrupted('0005-registry-ingress.k8s.yaml', (t) => `${t}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "cm\\e[2J\\a"\ndatas: {}\n`);
  const result = run(['--crds', SHARED_CRDS, '--dir', bad, '--env', 'usdfprod-prompt-processing']);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain("ConfigMap/cm\\u001b[2J\\u0007 /: unknown field 'datas'");
  // eslint-disable-next-line no-control-regex
  expect(result.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
});
