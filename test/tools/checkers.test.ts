/**
 * scripts/checkers.sh with the real kubeconform, kube-score and checkov (tools/build.sh kube-score,
 * kubeconform, checkov) over a synthesized dist/: clean as synthesized, and each kind of finding fails
 * with one line naming the environment, the object and the check.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { runSynth } from '../../cli/synth';
import { environments } from '../../lib/environments';
import { toolFolder } from '../../lib/helm-binary';

const ROOT = path.resolve(__dirname, '../..');
const ENV = 'usdfprod-prompt-processing';

let work: string;
let dist: string;

beforeAll(() => {
  // Stops at once, naming the build command, when a checker is not built (a test never builds one).
  for (const tool of ['kube-score', 'kubeconform', 'checkov']) toolFolder(tool);
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'checkers-test-'));
  dist = path.join(work, 'dist');
  expect(runSynth(['--out', dist], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
});
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const checkers = (dir: string) => {
  const run = spawnSync('bash', [path.join(ROOT, 'scripts', 'checkers.sh'), dir], { cwd: ROOT, encoding: 'utf8', timeout: 600_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
};

/** A copy of dist with the objects of one file of ENV edited. */
function edited(file: string, edit: (docs: any[]) => void): string {
  const copy = fs.mkdtempSync(path.join(work, 'bad-'));
  fs.cpSync(dist, copy, { recursive: true });
  const target = path.join(copy, ENV, file);
  const docs = parseAllDocuments(fs.readFileSync(target, 'utf8')).map((d) => d.toJS());
  edit(docs);
  fs.writeFileSync(target, docs.map((d) => stringify(d)).join('---\n'));
  return copy;
}

test('every environment is clean: kubeconform -strict, kube-score without CRITICAL, checkov without an unaccepted failure', () => {
  const result = checkers(dist);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/^checker-schemas: \d+ core kinds \(Kubernetes 1\.33\), 18 CRD versions/);
  for (const env of Object.keys(environments)) {
    expect(result.stdout).toMatch(new RegExp(`^${env}: kubeconform \\d+ valid, 0 invalid, 0 errors, 0 skipped; kube-score 0 CRITICAL; checkov \\d+ passed, \\d+ accepted`, 'm'));
  }
  expect(result.stdout.trimEnd().split('\n').pop()).toBe(`checkers: clean (${Object.keys(environments).length} environments)`);
});

test('an unknown field, a finding no longer accepted, an acceptance without reason and a fourth ignored test each fail, one line each', () => {
  const broken = edited('0007-services.k8s.yaml', (docs) => {
    const deployment = (name: string) => docs.find((d) => d.kind === 'Deployment' && d.metadata.name === name);
    // kubeconform -strict: a field the schema does not declare.
    deployment('kafbat').spec.template.spec.containers[0].imagePullPolcy = 'Always';
    // kube-score: the pull-policy finding, no longer ignored on this object.
    const server = deployment('alert-database-server-1.0.0');
    server.metadata.annotations['kube-score/ignore'] = 'container-security-context-user-group-id';
    // An acceptance without its reason, and a checkov skip without one.
    const ingester = deployment('alert-database-ingester-1.0.0');
    delete ingester.metadata.annotations['kube-score.alert-stream.lsst.io/container-image-pull-policy'];
    ingester.metadata.annotations['checkov.io/skip-CKV_K8S_35'] = 'CKV_K8S_35';
    // A fourth distinct kube-score test ignored.
    deployment('kafbat').metadata.annotations['kube-score/ignore'] += ',pod-probes';
    deployment('kafbat').metadata.annotations['kube-score.alert-stream.lsst.io/pod-probes'] = 'a reason';
  });
  const result = checkers(broken);
  expect(result.code).toBe(1);
  const lines = result.stdout.split('\n');
  const has = (pattern: RegExp) => expect(lines.filter((l) => pattern.test(l))).toHaveLength(1);
  has(/^usdfprod-prompt-processing: kubeconform: 0007-services\.k8s\.yaml: Deployment\/kafbat: at '\/spec\/template\/spec\/containers\/0': additional properties 'imagePullPolcy' not allowed$/);
  has(/^usdfprod-prompt-processing: kube-score: \[CRITICAL\] alert-database-server-1\.0\.0\/sasquatch apps\/v1\/Deployment: \(alert-database-server\) ImagePullPolicy is not set to Always$/);
  has(/^acceptance: usdfprod-prompt-processing: Deployment\/alert-database-ingester-1\.0\.0 metadata\.annotations\.kube-score\/ignore: kube-score test container-image-pull-policy is ignored without a reason/);
  // checkov itself takes a skip without reason ("No comment provided"): only the acceptance check refuses it.
  expect(lines.filter((l) => l.includes(': checkov: '))).toEqual([]);
  has(/^acceptance: kube-score: 4 distinct tests are ignored \(.*pod-probes.*\), at most 3 are allowed/);
  expect(lines.filter((l) => l.startsWith('acceptance: ') && l.includes('checkov skip'))).toEqual([
    'acceptance: usdfprod-prompt-processing: Deployment/alert-database-ingester-1.0.0 metadata.annotations.checkov.io/skip-CKV_K8S_35: checkov skip "CKV_K8S_35" has no reason: write <CHECK_ID>=<reason>',
  ]);
  expect(lines.filter((l) => l.startsWith('checkers: '))).toEqual([expect.stringMatching(/^checkers: \d+ findings /)]);
});

test('a missing environment folder could not be checked: one line, exit 2', () => {
  const partial = fs.mkdtempSync(path.join(work, 'partial-'));
  fs.cpSync(path.join(dist, ENV), path.join(partial, ENV), { recursive: true });
  const result = checkers(partial);
  expect(result.code).toBe(2);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr.trim()).toMatch(/^checkers: .*\/(local-bootstrap|usdfdev-prompt-processing) is missing: run npm run synth first$/);
  // The tool cache answers the tests without building anything.
  expect(execFileSync('bash', [path.join(ROOT, 'tools', 'build.sh'), '--cached', 'checkov'], { encoding: 'utf8' })).toMatch(/checkov-[0-9a-f]{16}\n$/);
});
