/**
 * `npm run plan -- --from cluster` against a real API server: an environment's output synced as Argo CD
 * syncs it (server-side apply, field manager argocd-controller), then edited behind the repository's back
 * with `kubectl edit`'s kind of request (a merge patch), and compared with the synced output and new ones.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { Document, parseAllDocuments, stringify } from 'yaml';
import { runPlan } from '../../cli/plan';
import { runSynth } from '../../cli/synth';
import { ClusterClient } from '../../lib/cluster-client';
import { ARGOCD_FIELD_MANAGER } from '../../lib/cluster-plan';
import { environments } from '../../lib/environments';
import type { Environment } from '../../lib/environments';
import { synthesizedObjects } from '../../lib/plan';
import type { LocatedObject } from '../../lib/manifests';
import { runCommandAsync, withChanges } from '../helpers';
import { readmeExample } from '../readme-examples';
import { ApiServer, startApiServer } from './api-server';
import { createNamespace, installSharedCrds } from './cluster-helpers';

const outputOf = (env: Environment) => synthesizedObjects(env);
const has = (objects: LocatedObject[], kind: string) => objects.some((l) => l.object.kind === kind);
/** The first environment of the registry whose output has a broker pool and a Service, and with an alert topic that has config. */
const env = Object.values(environments).find((e) => {
  const objects = outputOf(e);
  return has(objects, 'Service') && objects.some((l) => l.object.kind === 'KafkaNodePool' && l.object.spec.roles.includes('broker'))
    && e.topics.some((t) => Object.keys(t.config ?? {}).length > 0);
})!;
const objects = outputOf(env);
const find = (kind: string, test: (o: Record<string, any>) => boolean = () => true) => objects.find((l) => l.object.kind === kind && test(l.object))!.object;
const pool = find('KafkaNodePool', (o) => o.spec.roles.includes('broker'));
const topic = find('KafkaTopic', (o) => env.topics.some((t) => t.name === o.metadata.name && Object.keys(t.config ?? {}).length > 0));
const [configKey, configValue] = Object.entries(topic.spec.config)[0] as [string, unknown];
const service = find('Service');
/** The Kafka: its broker config has more than one key, so one can be dropped. */
const kafka = find('Kafka');

describe(`plan --from cluster (${env.name})`, () => {
  let server: ApiServer;
  let client: ClusterClient;
  let work: string;
  let dist: string;
  let handEdits: k8s.KubernetesObjectApi;

  /** Syncs the synced output as Argo CD does: every object applied in stage order by its field manager. */
  const sync = async () => {
    for (const { object } of objects) {
      const result = await client.apply(object, { dryRun: false, force: true, fieldManager: ARGOCD_FIELD_MANAGER });
      if (result.rejection) throw new Error(`${object.kind}/${object.metadata.name}: ${result.rejection.message}`);
    }
  };
  const plan = (argv: string[], registry: Record<string, Environment> = environments) =>
    runCommandAsync(runPlan, ['--env', env.name, '--from', 'cluster', '--kubeconfig', server.kubeconfigPath, '--synced', dist, ...argv], { environments: registry });
  /** `kubectl edit`: a merge patch by another field manager. */
  const edit = (object: Record<string, any>, patch: Record<string, any>) =>
    handEdits.patch({ apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name, namespace: object.metadata.namespace }, ...patch },
      undefined, undefined, 'kubectl-edit', undefined, k8s.PatchStrategy.MergePatch);
  const registryWith = (changed: Environment) => ({ ...environments, [env.name]: changed });

  beforeAll(async () => {
    server = await startApiServer();
    client = await ClusterClient.connect({ kubeconfig: server.kubeconfigPath });
    await installSharedCrds(client);
    await createNamespace(client, env.namespace);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cluster-test-'));
    dist = path.join(work, 'dist');
    expect(runSynth(['--env', env.name, '--out', dist], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
    const config = new k8s.KubeConfig();
    config.loadFromFile(server.kubeconfigPath);
    handEdits = config.makeApiClient(k8s.KubernetesObjectApi);
    await sync();
  });
  afterAll(async () => {
    await server?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  test('the cluster as synced: no drift, no changes, exit 0 (defaulted fields are no change)', async () => {
    const result = await plan([]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^cluster: https:\/\/127\.0\.0\.1:\d+ \(context admin, Kubernetes v1\.34\.4\): server-side dry run, nothing is changed$/m);
    expect(result.stdout).toContain(`drift: none (the cluster holds ${env.name}'s output of ${dist} as synced)\n`);
    expect(result.stdout).toContain('\nno changes\n');
    expect(result.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      `${env.name}: 0 added, 0 changed, 0 removed; 0 unsafe (0 allowed)`,
      `${env.name}: 0 drifted, 0 refused by the API server`,
    ]);
  });

  test('a topic edited and a Service deleted behind the repository\'s back are drift, which a sync puts back', async () => {
    await edit(topic, { spec: { config: { [configKey]: 3600000 } } });
    await handEdits.delete({ apiVersion: service.apiVersion, kind: service.kind, metadata: { name: service.metadata.name, namespace: service.metadata.namespace } });
    try {
      const result = await plan([]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const drift = result.stdout.slice(result.stdout.indexOf('drift:'), result.stdout.indexOf('sync of'));
      expect(drift).toMatch(new RegExp(`^drift: the cluster differs from ${env.name}'s output of ${dist} \\(a sync puts the repository's side back\\):\n`));
      expect(drift).toContain(`  - Service/${service.metadata.name}: not in the cluster\n`);
      expect(drift).toContain(`  ~ KafkaTopic/${topic.metadata.name}\n      spec.config.${configKey}: repository ${JSON.stringify(configValue)}, cluster 3600000\n`);
      expect(drift.split('\n').filter((l) => /^ {2}\S/.test(l))).toHaveLength(2);
      expect(result.stdout).toContain(`  ~ KafkaTopic/${topic.metadata.name}\n      spec.config.${configKey}: 3600000 -> ${JSON.stringify(configValue)}\n`);
      expect(result.stdout).toContain(`  + Service/${service.metadata.name}\n`);
      expect(result.stdout).toMatch(new RegExp(`${env.name}: 1 added, 1 changed, 0 removed; 0 unsafe \\(0 allowed\\)\n${env.name}: 2 drifted, 0 refused by the API server\n$`));
      // The README shows this run, with dist where the test has its own, and the port as it was once.
      const shown = result.stdout.split(dist).join('dist').replace(/127\.0\.0\.1:\d+/, '127.0.0.1:40969');
      expect(shown.trimEnd().split('\n')).toEqual(readmeExample(`npm run plan -- --env ${env.name} --from cluster --kubeconfig /tmp/alert-stream-apiserver-XXXX/admin.kubeconfig`));

      const strict = await plan(['--fail-on-drift', '--json']);
      expect(strict.code).toBe(1);
      const json = JSON.parse(strict.stdout);
      expect(json.drift).toEqual(expect.arrayContaining([
        expect.objectContaining({ object: `KafkaTopic/${topic.metadata.name}`, fields: [{ path: `spec.config.${configKey}`, before: configValue, after: 3600000 }] }),
        expect.objectContaining({ object: `Service/${service.metadata.name}`, missing: 'not in the cluster' }),
      ]));
    } finally {
      await sync();
    }
    expect((await plan([])).stdout).toContain('drift: none');
  });

  test('a new output shrinking the broker storage is refused as storage-decrease unless allowed; a topic dropped from the output as topic-removal', async () => {
    const size = pool.spec.storage.volumes?.[0]?.size ?? pool.spec.storage.size;
    const shrunk = withChanges(env, { brokers: { storageSize: '1Mi' } });
    const result = await plan([], registryWith(shrunk));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('drift: none');
    expect(result.stdout).toContain(`  UNSAFE [storage-decrease] KafkaNodePool/${pool.metadata.name}: volume 0: ${size} -> 1Mi\n`);
    expect(result.stdout).toContain('refused: allow with --allow storage-decrease');
    expect((await plan(['--allow', 'storage-decrease'], registryWith(shrunk))).code).toBe(0);

    // An output without one of the environment's topics (its document taken out of a copy of the synced files).
    const alertTopic = objects.find((l) => l.object.kind === 'KafkaTopic' && l.object.metadata.name === env.topics[0].name)!;
    const withoutTopic = path.join(work, 'without-topic');
    fs.cpSync(path.join(dist, env.name), withoutTopic, { recursive: true });
    const file = path.join(withoutTopic, alertTopic.file);
    const kept = parseAllDocuments(fs.readFileSync(file, 'utf8')).filter((d) => !(d.get('kind') === 'KafkaTopic' && d.getIn(['metadata', 'name']) === env.topics[0].name));
    fs.writeFileSync(file, kept.map((d) => d.toString()).join('---\n'));
    const dropped = await plan(['--to', withoutTopic]);
    expect(dropped.code).toBe(1);
    expect(dropped.stdout).toContain(`  - KafkaTopic/${env.topics[0].name}\n`);
    expect(dropped.stdout).toContain(`  UNSAFE [topic-removal] KafkaTopic/${env.topics[0].name}: topic ${alertTopic.object.spec?.topicName ?? env.topics[0].name} -> removed\n`);
    expect(dropped.stdout).toMatch(new RegExp(`${env.name}: 0 added, 0 changed, 1 removed; 1 unsafe \\(0 allowed\\)`));
  });

  test('against what runs: a volume grown by hand makes the repository\'s unchanged output a storage decrease', async () => {
    const volumes = structuredClone(pool.spec.storage.volumes);
    volumes[0].size = '1Pi';
    await edit(pool, { spec: { storage: { volumes } } });
    try {
      const result = await plan([]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`  ~ KafkaNodePool/${pool.metadata.name}\n      spec.storage.volumes[0].size: repository ${JSON.stringify(pool.spec.storage.volumes[0].size)}, cluster "1Pi"\n`);
      expect(result.stdout).toContain(`  UNSAFE [storage-decrease] KafkaNodePool/${pool.metadata.name}: volume 0: 1Pi -> ${pool.spec.storage.volumes[0].size}\n`);
    } finally {
      await sync();
    }
  });

  /** A copy of the synced files of the environment with one document edited. */
  const editedOutput = (name: string, object: Record<string, any>, change: (doc: Document) => void) => {
    const dir = path.join(work, name);
    fs.cpSync(path.join(dist, env.name), dir, { recursive: true });
    const located = objects.find((l) => l.object === object)!;
    const file = path.join(dir, located.file);
    const docs = parseAllDocuments(fs.readFileSync(file, 'utf8')) as Document[];
    change(docs.find((d) => d.get('kind') === object.kind && d.getIn(['metadata', 'name']) === object.metadata.name)!);
    fs.writeFileSync(file, docs.map((d) => d.toString()).join('---\n'));
    return dir;
  };

  test('a field the new output drops is removed by the sync, whether Argo CD applied server-side or client-side', async () => {
    const [key, value] = Object.entries(kafka.spec.kafka.config)[0];
    const dropped = editedOutput('dropped-config', kafka, (d) => d.deleteIn(['spec', 'kafka', 'config', key]));
    const removal = `  ~ Kafka/${kafka.metadata.name}\n      spec.kafka.config.${key}: ${JSON.stringify(value)} -> (none)\n`;
    const serverSide = await plan(['--to', dropped]);
    expect(serverSide.stdout).toContain(removal);
    expect(serverSide.code).toBe(0);

    // As Argo CD's default client-side apply leaves it: the fields an Update manager's, the object's record
    // of its last apply in an annotation (kubectl's three-way merge deletes what the record has and the new object not).
    const id = { apiVersion: kafka.apiVersion, kind: kafka.kind, metadata: { name: kafka.metadata.name, namespace: kafka.metadata.namespace } };
    await handEdits.delete(id);
    const record = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(kafka) };
    await handEdits.create({ ...kafka, metadata: { ...kafka.metadata, annotations: { ...kafka.metadata.annotations, ...record } } }, undefined, undefined, ARGOCD_FIELD_MANAGER);
    try {
      const unchanged = await plan([]);
      expect(unchanged.stdout).toContain('drift: none');
      expect(unchanged.stdout).toContain('\nno changes\n');
      const clientSide = await plan(['--to', dropped]);
      expect(clientSide.stdout).toContain(removal);
      expect(clientSide.code).toBe(0);
    } finally {
      await handEdits.delete(id);
      await sync();
    }
  });

  test('a change the API server refuses against what runs (an immutable selector) is listed, exit 1', async () => {
    const deployment = objects.find((l) => l.object.kind === 'Deployment')!;
    const changedDir = path.join(work, 'immutable');
    fs.cpSync(path.join(dist, env.name), changedDir, { recursive: true });
    const file = path.join(changedDir, deployment.file);
    const name = Object.keys(deployment.object.spec.selector.matchLabels)[0];
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.split(`${name}: ${deployment.object.spec.selector.matchLabels[name]}`).join(`${name}: renamed`));
    const result = await plan(['--to', changedDir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`^ {2}REFUSED Deployment/${deployment.object.metadata.name}: 422 Invalid: .*field is immutable`, 'm'));
    expect(result.stdout).toMatch(new RegExp(`UNSAFE \\[immutable-field-change\\] Deployment/${deployment.object.metadata.name}: spec\\.selector`));

    // A kind whose CustomResourceDefinition the cluster lacks: the sync would fail on it too.
    fs.writeFileSync(path.join(changedDir, '0008-widgets.k8s.yaml'), stringify({ apiVersion: 'example.org/v1', kind: 'Widget', metadata: { name: 'w', namespace: env.namespace } }));
    const unserved = await plan(['--to', changedDir, '--json']);
    expect(unserved.code).toBe(1);
    expect(JSON.parse(unserved.stdout).refused).toEqual([
      { object: `Deployment/${deployment.object.metadata.name}`, stage: Number(deployment.file.slice(0, 4)), message: expect.stringMatching(/^422 Invalid: .*field is immutable/) },
      { object: 'Widget/w', stage: 8, message: 'the cluster does not serve example.org/v1 Widget: install its CustomResourceDefinition first' },
    ]);
  });

  test('a cluster that cannot be used, an unknown context, a user who may not read, and no synced output are one line each, exit 2', async () => {
    const unreachable = path.join(work, 'unreachable-kubeconfig');
    fs.writeFileSync(unreachable, stringify({
      apiVersion: 'v1', kind: 'Config', 'current-context': 'here',
      clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'u', user: { token: 'x' } }],
      contexts: [{ name: 'here', context: { cluster: 'c', user: 'u' } }],
    }));
    expect(await plan(['--kubeconfig', unreachable])).toEqual({ code: 2, stdout: '', stderr: "plan: cannot reach the cluster of context 'here' at https://127.0.0.1:1: ECONNREFUSED\n" });
    expect(await plan(['--context', 'prod'])).toEqual({ code: 2, stdout: '', stderr: "plan: the kubeconfig has no context 'prod'; its contexts: admin\n" });
    expect(await plan(['--kubeconfig', path.join(work, 'missing')])).toEqual({ code: 2, stdout: '', stderr: `plan: cannot read the kubeconfig ${path.join(work, 'missing')}: ENOENT\n` });
    const viewer = await plan(['--kubeconfig', server.viewerKubeconfigPath]);
    expect(viewer.code).toBe(2);
    expect(viewer.stdout).toBe('');
    expect(viewer.stderr).toMatch(/^plan: the cluster of context 'viewer' at https:\/\/127\.0\.0\.1:\d+: reading \S+: 403 Forbidden: .* is forbidden: User "viewer" cannot get resource .*\n$/);
    expect(viewer.stderr.split('\n')).toHaveLength(2);
    const noDist = await runCommandAsync(runPlan, ['--env', env.name, '--from', 'cluster', '--kubeconfig', server.kubeconfigPath], { root: work + '-nowhere' });
    expect(noDist).toEqual({ code: 2, stdout: '', stderr: `plan: no ${path.join('dist', env.name)} to measure drift against: run npm run synth at the commit Argo CD synced, or pass --synced <folder or git ref>\n` });
    expect(await plan(['--timeout', 'soon'])).toEqual({ code: 2, stdout: '', stderr: "plan: --timeout takes seconds, a number above 0 and at most 3600 (got 'soon')\n" });
  });
});
