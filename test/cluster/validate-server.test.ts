import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { runSynth } from '../../cli/synth';
import { runValidate } from '../../cli/validate';
import { ClusterClient } from '../../lib/cluster-client';
import { runCommandAsync } from '../helpers';
import { readmeExample } from '../readme-examples';
import { ApiServer, startApiServer } from './api-server';
import { createNamespace, installSharedCrds } from './cluster-helpers';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { environments } from '../../lib/environments';

/** How many objects an environment synthesizes (every stage). */
const LOCAL_OBJECTS = synthesizeEnvironment(environments['local-bootstrap']).reduce((n, m) => n + m.objects.length, 0);
const PROD_OBJECTS = synthesizeEnvironment(environments['usdfprod-prompt-processing']).reduce((n, m) => n + m.objects.length, 0);

const validate = (argv: string[]) => runCommandAsync(runValidate, argv);

/** ingress-nginx's controller ConfigMap (the chart's name, in its default namespace). */
const ingressNginxConfig = (data: Record<string, string>) =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ingress-nginx-controller', namespace: 'ingress-nginx' }, data });

/** `npm run validate -- --server` against a real API server, as a user would point it at their cluster. */
describe('validate --server', () => {
  let server: ApiServer;
  let work: string;
  let dist: string;

  beforeAll(async () => {
    server = await startApiServer();
    const client = await ClusterClient.connect({ kubeconfig: server.kubeconfigPath });
    await installSharedCrds(client);
    // The environments' own namespace: a dry run cannot create it.
    await createNamespace(client, 'sasquatch');
    // The StorageClass the USDF pools name, as the cluster has it: volumes can grow.
    await client.apply({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'wekafs--sdf-k8s01' }, provisioner: 'csi.weka.io', allowVolumeExpansion: true }, { dryRun: false });
    // ingress-nginx as the registry's read-only snippet needs it: snippets allowed, at risk level Critical.
    await createNamespace(client, 'ingress-nginx');
    await client.apply(ingressNginxConfig({ 'allow-snippet-annotations': 'true', 'annotations-risk-level': 'Critical' }), { dryRun: false });
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-server-test-'));
    dist = path.join(work, 'dist');
    expect(runSynth(['--out', dist], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
  });
  afterAll(async () => {
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  /** A copy of dist with one file of usdfprod-prompt-processing edited. */
  function corrupted(file: string, edit: (text: string) => string): string {
    const copy = fs.mkdtempSync(path.join(work, 'bad-'));
    fs.cpSync(dist, copy, { recursive: true });
    const target = path.join(copy, 'usdfprod-prompt-processing', file);
    fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
    return copy;
  }

  test('every environment passes a server-side dry run; nothing is stored', async () => {
    const result = await validate(['--server', '--kubeconfig', server.kubeconfigPath]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^server: https:\/\/127\.0\.0\.1:\d+ \(context admin, Kubernetes v1\.34\.4\): server-side dry run, nothing is changed$/m);
    expect(result.stdout).toMatch(new RegExp(`^usdfprod-prompt-processing: ${PROD_OBJECTS} objects \\(synthesized in memory\\), ${PROD_OBJECTS} accepted by the API server, 0 errors, 2 warnings$`, 'm'));
    expect(result.stdout).toMatch(/^local-bootstrap: \d+ objects \(synthesized in memory\), \d+ accepted by the API server, 0 errors, 0 warnings$/m);
    // The warnings are the server's, in the finding format, with the field they name.
    expect(result.stdout).toContain('usdfprod-prompt-processing/0007-services.k8s.yaml: warning: Deployment/alert-database-server-1.0.0 /metadata/name: API server warning: metadata.name: ');
    const client = await ClusterClient.connect({ kubeconfig: server.kubeconfigPath });
    expect(await client.read({ apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: 'sasquatch', namespace: 'sasquatch' } })).toBeUndefined();
  });

  test('reads a written folder with --dir', async () => {
    const result = await validate(['--server', '--kubeconfig', server.kubeconfigPath, '--dir', dist, '--env', 'local-bootstrap']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`local-bootstrap: ${LOCAL_OBJECTS} objects (${path.join(dist, 'local-bootstrap')}), ${LOCAL_OBJECTS} accepted by the API server, 0 errors, 0 warnings`);
  });

  test('an unknown field of a core object and a broken CEL rule of a CRD are refused, one line each', async () => {
    const bad = corrupted('0007-services.k8s.yaml', (t) => t.replace(/^ {2}replicas: 1$/m, '  replica: 1'));
    const kafka = corrupted('0003-kafka.k8s.yaml', (t) => t.replace(/type: jmxPrometheusExporter\n(\s+)valueFrom:\n\s+configMapKeyRef:\n\s+key: \S+\n\s+name: \S+\n/, 'type: jmxPrometheusExporter\n'));
    fs.cpSync(path.join(kafka, 'usdfprod-prompt-processing', '0003-kafka.k8s.yaml'), path.join(bad, 'usdfprod-prompt-processing', '0003-kafka.k8s.yaml'));
    const result = await validate(['--server', '--kubeconfig', server.kubeconfigPath, '--dir', bad, '--env', 'usdfprod-prompt-processing']);
    expect(result.code).toBe(1);
    const file = (name: string) => path.join(bad, 'usdfprod-prompt-processing', name);
    const errors = result.stdout.split('\n').filter((l) => l.includes('refused by the API server'));
    expect(errors).toEqual([
      expect.stringMatching(new RegExp(`^${file('0003-kafka.k8s.yaml')}: Kafka/sasquatch /spec/kafka/metricsConfig: refused by the API server \\(422 Invalid\\): .*valueFrom property is required`)),
      expect.stringMatching(new RegExp(`^${file('0007-services.k8s.yaml')}: Deployment/alert-database-server-1\\.0\\.0 /spec/replica: refused by the API server \\(HTTP 500\\): field not declared in schema`)),
    ]);
    expect(result.stdout).toMatch(new RegExp(`usdfprod-prompt-processing: ${PROD_OBJECTS} objects .*, ${PROD_OBJECTS - 2} accepted by the API server, 2 errors, 1 warnings`));
    // The README shows this run, with the temporary paths and the port as they were once.
    const shown = result.stdout.split(bad).join('/tmp/broken').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:40969');
    expect(shown.trimEnd().split('\n')).toEqual(readmeExample('npm run validate -- --server --kubeconfig /tmp/alert-stream-apiserver-XXXX/admin.kubeconfig --env usdfprod-prompt-processing --dir /tmp/broken'));
  });

  test('the StorageClass a pool names must exist and allow volume expansion (a resize needs it)', async () => {
    const classOf = (name: string) => corrupted('0002-broker-pool.k8s.yaml', (t) => t.replace('class: wekafs--sdf-k8s01', `class: ${name}`));
    const client = await ClusterClient.connect({ kubeconfig: server.kubeconfigPath });
    await client.apply({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fixed-size' }, provisioner: 'example.org/fixed' }, { dryRun: false });
    const fixed = classOf('fixed-size');
    const warned = await validate(['--server', '--kubeconfig', server.kubeconfigPath, '--dir', fixed, '--env', 'usdfprod-prompt-processing']);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toContain(`${path.join(fixed, 'usdfprod-prompt-processing', '0002-broker-pool.k8s.yaml')}: warning: KafkaNodePool/kafka /spec/storage/volumes/0/class: StorageClass fixed-size does not allow volume expansion (allowVolumeExpansion is not true): this pool's storage can never grow`);
    const missing = classOf('no-such-class');
    const refused = await validate(['--server', '--kubeconfig', server.kubeconfigPath, '--dir', missing, '--env', 'usdfprod-prompt-processing']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`${path.join(missing, 'usdfprod-prompt-processing', '0002-broker-pool.k8s.yaml')}: KafkaNodePool/kafka /spec/storage/volumes/0/class: StorageClass no-such-class does not exist in this cluster`);
  });

  test("the registry's configuration snippet needs an ingress-nginx that admits snippets", async () => {
    const client = await ClusterClient.connect({ kubeconfig: server.kubeconfigPath });
    const run = async (data: Record<string, string>) => {
      await client.apply(ingressNginxConfig(data), { dryRun: false });
      return validate(['--server', '--kubeconfig', server.kubeconfigPath, '--dir', dist, '--env', 'usdfprod-prompt-processing', '--env', 'local-bootstrap']);
    };
    const at = (env: string, file: string, object: string, path: string) => `${dist}/${env}/${file}: ${object} ${path}: `;
    const prodAt = at('usdfprod-prompt-processing', '0005-registry-ingress.k8s.yaml', 'GafaelfawrIngress/sasquatch-schema-registry',
      '/template/metadata/annotations/nginx.ingress.kubernetes.io~1configuration-snippet');
    const localAt = at('local-bootstrap', '0005-registry-ingress.k8s.yaml', 'Ingress/sasquatch-schema-registry',
      '/metadata/annotations/nginx.ingress.kubernetes.io~1configuration-snippet');
    try {
      const disallowed = await run({ 'allow-snippet-annotations': 'false' });
      expect(disallowed.code).toBe(1);
      const refusal = 'ConfigMap ingress-nginx/ingress-nginx-controller does not set allow-snippet-annotations: "true": ingress-nginx refuses or ignores this snippet, and the registry is not published';
      expect(disallowed.stdout).toContain(`${prodAt}${refusal}`);
      // A plain Ingress goes through the dry run too; without ingress-nginx's webhook the API server accepts it, this check does not.
      expect(disallowed.stdout).toContain(`${localAt}${refusal}`);

      const riskHigh = await run({ 'allow-snippet-annotations': 'true' });
      expect(riskHigh.code).toBe(0);
      expect(riskHigh.stdout).toContain(`${prodAt.replace(': GafaelfawrIngress', ': warning: GafaelfawrIngress')}ConfigMap ingress-nginx/ingress-nginx-controller allows snippets but does not set annotations-risk-level: Critical`);

      const allowed = await run({ 'allow-snippet-annotations': 'true', 'annotations-risk-level': 'Critical' });
      expect(allowed.code).toBe(0);
      expect(allowed.stdout).not.toContain('configuration-snippet');
    } finally {
      await client.apply(ingressNginxConfig({ 'allow-snippet-annotations': 'true', 'annotations-risk-level': 'Critical' }), { dryRun: false });
    }
  });

  test('a user without permission gets one finding per object saying so', async () => {
    const result = await validate(['--server', '--kubeconfig', server.viewerKubeconfigPath, '--env', 'local-bootstrap']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^local-bootstrap\/0003-kafka\.k8s\.yaml: Kafka\/sasquatch \/: refused by the API server \(403 Forbidden\): .*User "viewer" cannot patch resource "kafkas" in API group "kafka\.strimzi\.io" in the namespace "sasquatch" \(a server-side dry run needs permission to patch this resource/m);
    // Nor may it read ingress-nginx's ConfigMap: the snippet check says it could not look.
    expect(result.stdout).toContain('local-bootstrap/0005-registry-ingress.k8s.yaml: warning: Ingress/sasquatch-schema-registry /metadata/annotations/nginx.ingress.kubernetes.io~1configuration-snippet: ' +
      'ConfigMap ingress-nginx/ingress-nginx-controller could not be read (no permission to get configmaps there?): whether ingress-nginx admits the configuration snippet (the read-only limit) is unchecked');
    expect(result.stdout).toMatch(new RegExp(`^local-bootstrap: ${LOCAL_OBJECTS} objects .*, 0 accepted by the API server, ${LOCAL_OBJECTS} errors, 1 warnings$`, 'm'));
  });

  test('an unreachable cluster, refused credentials, a missing kubeconfig and an unknown context are one line each, exit 2', async () => {
    const config = (server: string, token: string) => {
      const file = path.join(work, `kubeconfig-${Math.random().toString(36).slice(2)}`);
      fs.writeFileSync(file, stringify({
        apiVersion: 'v1', kind: 'Config', 'current-context': 'here',
        clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'u', user: { token } }],
        contexts: [{ name: 'here', context: { cluster: 'c', user: 'u' } }],
      }));
      return file;
    };
    const unreachable = await validate(['--server', '--kubeconfig', config('https://127.0.0.1:1', 'x')]);
    expect(unreachable).toEqual({ code: 2, stdout: '', stderr: "validate: cannot reach the cluster of context 'here' at https://127.0.0.1:1: ECONNREFUSED\n" });
    const refused = await validate(['--server', '--kubeconfig', config(server.url, 'not-a-token')]);
    expect(refused).toEqual({ code: 2, stdout: '', stderr: `validate: the cluster of context 'here' at ${server.url} refused the credentials (401 Unauthorized): log in again or pick another --context\n` });
    const missing = await validate(['--server', '--kubeconfig', path.join(work, 'missing-kubeconfig')]);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `validate: cannot read the kubeconfig ${path.join(work, 'missing-kubeconfig')}: ENOENT\n` });
    const unknown = await validate(['--server', '--kubeconfig', server.kubeconfigPath, '--context', 'prod']);
    expect(unknown).toEqual({ code: 2, stdout: '', stderr: "validate: the kubeconfig has no context 'prod'; its contexts: admin\n" });
  });
});
