/**
 * The Pulumi bootstrap under pulumi.runtime.setMocks: no CLI, no cluster.
 * What is checked: stage order, the dependency chain, the provider settings,
 * the objects each stage applies and their readiness hints, config errors.
 */
import { environments } from '../../lib/environments';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { BootstrapConfig, deployStages } from '../../bootstrap/deploy';
import { runSynth } from '../../cli/synth';

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
  readonly dependsOn: string[];
}

const registered: Registered[] = [];
const dependencies = new Map<string, string[]>();
const retained = new Set<string>();
const protectedNames = new Set<string>();

pulumi.runtime.setMocks({
  newResource: (args) => {
    registered.push({ type: args.type, name: args.name, inputs: args.inputs, dependsOn: dependencies.get(args.name) ?? [] });
    return { id: `${args.name}-id`, state: args.inputs };
  },
  call: (args) => args.inputs,
}, 'alert-stream-bootstrap', 'test', false);

const base: BootstrapConfig = {
  env: 'usdfprod-prompt-processing', kubeconfig: '', context: '', stopAfter: '', dir: '', ingressNginxConfigMap: '', kafkaTimeout: '', operatorTimeout: '',
};

/**
 * Runs `program` in a stack, recording every resource and the names it depends on, and returns
 * once the mocks have answered every registration (each resource's URN is resolved).
 */
async function inStack<T>(program: () => T): Promise<{ result: T; resources: Registered[] }> {
  registered.length = 0;
  dependencies.clear();
  retained.clear();
  protectedNames.clear();
  const created: pulumi.Resource[] = [];
  let result: T | undefined;
  await pulumi.runtime.runInPulumiStack(async () => {
    // dependsOn is not visible to mocks; a stack transformation sees it.
    pulumi.runtime.registerStackTransformation((args) => {
      const names = ((args.opts.dependsOn ?? []) as pulumi.Resource[]).map((r) => (r as any).__name as string);
      dependencies.set(args.name, names);
      if (args.opts.retainOnDelete) retained.add(args.name);
      if (args.opts.protect) protectedNames.add(args.name);
      created.push(args.resource);
      return undefined;
    });
    result = program();
    return {};
  });
  await new Promise((resolve) => pulumi.all(created.map((r) => r.urn)).apply(resolve));
  return { result: result as T, resources: [...registered] };
}

/** Runs the bootstrap with `config` over the base configuration. */
async function deploy(config: Partial<BootstrapConfig> = {}): Promise<Registered[]> {
  return (await inStack(() => deployStages({ ...base, ...config }))).resources;
}

const groups = (resources: Registered[]) => resources.filter((r) => r.type === 'kubernetes:yaml/v2:ConfigGroup');
const objectsOf = (group: Registered) => group.inputs.objs as any[];

describe('Pulumi bootstrap', () => {
  test('one ConfigGroup per stage, in the manual order, each depending on the one before', async () => {
    const resources = await deploy();
    const stages = groups(resources).sort((a, b) => a.name.localeCompare(b.name));
    expect(stages.map((g) => g.name)).toEqual([
      '0000-secrets', '0001-controller-pool', '0002-broker-pool', '0003-kafka', '0004-schema-registry', '0005-registry-ingress', '0006-schema-sync', '0007-services',
    ]);
    expect(stages.map((g) => g.dependsOn)).toEqual([
      ['namespace'], ['0000-secrets'], ['0001-controller-pool'], ['0002-broker-pool'], ['0003-kafka'], ['0004-schema-registry'], ['0005-registry-ingress'], ['0006-schema-sync'],
    ]);
  });

  test('with a plain nginx registry ingress, sets the snippet options on the controller before that stage', async () => {
    const resources = await deploy({ env: 'local-bootstrap' });
    const patches = resources.filter((r) => r.type === 'kubernetes:core/v1:ConfigMapPatch');
    expect(patches.map((p) => [p.name, p.inputs.metadata, p.inputs.data, p.dependsOn])).toEqual([[
      'ingress-nginx-snippets',
      { namespace: 'ingress-nginx', name: 'ingress-nginx-controller', annotations: { 'pulumi.com/patchForce': 'true' } },
      { 'allow-snippet-annotations': 'true', 'annotations-risk-level': 'Critical' },
      ['namespace'],
    ]]);
    const ingressStage = groups(resources).find((g) => g.name === '0005-registry-ingress')!;
    expect(ingressStage.dependsOn).toEqual(['0004-schema-registry', 'ingress-nginx-snippets']);
    expect(objectsOf(ingressStage).find((o) => o.kind === 'Ingress').metadata.annotations['nginx.ingress.kubernetes.io/configuration-snippet'])
      .toContain('limit_except GET');
    // Kafbat's stage has no snippet: it waits for the controller only through the stage chain.
    expect(groups(resources).find((g) => g.name === '0007-services')!.dependsOn).toEqual(['0006-schema-sync']);
  });

  test('another controller ConfigMap is named in the stack configuration; Gafaelfawr environments patch nothing', async () => {
    const moved = await deploy({ env: 'local-bootstrap', ingressNginxConfigMap: 'nginx/controller-config' });
    expect(moved.find((r) => r.type === 'kubernetes:core/v1:ConfigMapPatch')!.inputs.metadata).toMatchObject({ namespace: 'nginx', name: 'controller-config' });
    expect((await deploy()).some((r) => r.type === 'kubernetes:core/v1:ConfigMapPatch')).toBe(false);
    expect(() => deployStages({ ...base, env: 'local-bootstrap', ingressNginxConfigMap: 'controller-config' }))
      .toThrow("ingressNginxConfigMap 'controller-config' is not <namespace>/<name>, e.g. ingress-nginx/ingress-nginx-controller");
  });

  test('creates the namespace first and keeps it when the stack is destroyed', async () => {
    const resources = await deploy();
    const ns = resources.find((r) => r.type === 'kubernetes:core/v1:Namespace')!;
    expect(ns.inputs.metadata).toEqual({ name: 'sasquatch' });
    expect([...retained]).toEqual(['namespace']);
  });

  test('the stages holding node pools, Kafka, topics or users are protected; the ingress stage is not', async () => {
    const resources = await deploy({ env: 'local-bootstrap' });
    expect(groups(resources).map((g) => g.name).filter((n) => protectedNames.has(n)).sort()).toEqual([
      '0001-controller-pool', '0002-broker-pool', '0003-kafka', '0004-schema-registry', '0007-services',
    ]);
    expect(protectedNames.has('0005-registry-ingress')).toBe(false);
    expect(protectedNames.has('namespace')).toBe(false);
  });

  test('kafkaTimeout and operatorTimeout set how long Kafka and the operators\' objects are awaited', async () => {
    const objects = groups(await deploy({ env: 'local-bootstrap', kafkaTimeout: '30', operatorTimeout: '20' })).flatMap(objectsOf);
    const timeout = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.annotations['pulumi.com/timeoutSeconds']);
    expect(new Set(timeout('Kafka'))).toEqual(new Set(['30']));
    expect(new Set([...timeout('KafkaTopic'), ...timeout('KafkaUser')])).toEqual(new Set(['20']));
  });

  test('the provider applies server-side and honours kubeconfig and context', async () => {
    const resources = await deploy({ kubeconfig: '/home/op/.kube/usdf', context: 'usdf-prompt-processing' });
    const provider = resources.find((r) => r.type === 'pulumi:providers:kubernetes')!;
    expect(provider.inputs).toMatchObject({
      kubeconfig: '/home/op/.kube/usdf', context: 'usdf-prompt-processing', enableServerSideApply: 'true',
    });
  });

  test('each stage applies exactly the synthesized objects of its file', async () => {
    const resources = await deploy();
    const kafka = groups(resources).find((g) => g.name === '0003-kafka')!;
    expect(objectsOf(kafka).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'ConfigMap/kafka-metrics',
      'PodMonitor/cluster-operator-metrics', 'PodMonitor/entity-operator-metrics', 'PodMonitor/kafka-resources-metrics',
      'PodMonitor/kafka-exporter-monitor',
      'Kafka/sasquatch',
    ]);
  });

  test('readiness: Kafka, topics, users and the ScaledObject are awaited; pools, registry and ingresses are not', async () => {
    const objects = groups(await deploy()).flatMap(objectsOf);
    const hint = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name).metadata.annotations;
    expect(hint('Kafka', 'sasquatch')).toMatchObject({ 'pulumi.com/waitFor': 'condition=Ready', 'pulumi.com/timeoutSeconds': '3600' });
    expect(hint('KafkaTopic', 'lsst-alerts-v11')).toMatchObject({ 'pulumi.com/waitFor': 'condition=Ready' });
    expect(hint('KafkaUser', 'fink-usdf')).toMatchObject({ 'pulumi.com/waitFor': 'condition=Ready' });
    expect(hint('ScaledObject', 'alert-database-ingester-1.0.0')).toMatchObject({ 'pulumi.com/waitFor': 'condition=Ready' });
    expect(hint('GafaelfawrIngress', 'kafbat')).toMatchObject({ 'pulumi.com/skipAwait': 'true' });
    expect(hint('VaultSecret', 'sasquatch')).toMatchObject({ 'pulumi.com/waitFor': 'condition=SecretCreated' });
    for (const [kind, name] of [['KafkaNodePool', 'kafka'], ['KafkaNodePool', 'controller'], ['StrimziSchemaRegistry', 'sasquatch-schema-registry']]) {
      expect(Object.keys(hint(kind, name)).filter((k) => k.startsWith('pulumi.com/'))).toEqual([]);
    }
    expect(hint('KafkaNodePool', 'kafka')['argocd.argoproj.io/sync-wave']).toBe('2');
  });

  test('with dir, the written folder is deployed: the same objects as synthesized in-process', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bootstrap-'));
    try {
      expect(runSynth(['--env', base.env, '--out', out], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
      const fromFolder = groups(await deploy({ dir: out })).sort((a, b) => a.name.localeCompare(b.name));
      const inProcess = groups(await deploy()).sort((a, b) => a.name.localeCompare(b.name));
      expect(fromFolder.map((g) => [g.name, g.dependsOn, objectsOf(g)])).toEqual(inProcess.map((g) => [g.name, g.dependsOn, objectsOf(g)]));
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('a broken file in dir is refused with its name and line, before anything is deployed', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bootstrap-'));
    try {
      expect(runSynth(['--env', base.env, '--out', out], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
      fs.appendFileSync(path.join(out, base.env, '0003-kafka.k8s.yaml'), 'broken: [\n');
      expect(() => deployStages({ ...base, dir: out })).toThrow(/0003-kafka\.k8s\.yaml: line \d+: not valid YAML/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  test('the entry program reads the stack configuration', async () => {
    pulumi.runtime.setAllConfig({ 'alert-stream-bootstrap:env': 'usdfdev-prompt-processing', 'alert-stream-bootstrap:stopAfter': 'broker-pool' });
    // The entry program runs when loaded; require it here, after the configuration is set.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { result: program, resources } = await inStack(() => require('../../bootstrap/index'));
    expect(program.stages).toEqual(['0000-secrets', '0001-controller-pool', '0002-broker-pool']);
    expect(program.namespace).toBe('sasquatch');
    expect(groups(resources).map((g) => g.name).sort()).toEqual(['0000-secrets', '0001-controller-pool', '0002-broker-pool']);
  });

  test('stopAfter deploys the stages up to the one named', async () => {
    expect(groups(await deploy({ stopAfter: 'kafka' })).map((g) => g.name).sort()).toEqual(['0000-secrets', '0001-controller-pool', '0002-broker-pool', '0003-kafka']);
    expect(groups(await deploy({ stopAfter: '1' })).map((g) => g.name).sort()).toEqual(['0000-secrets', '0001-controller-pool']);
    expect(groups(await deploy({ stopAfter: 'secrets' })).map((g) => g.name)).toEqual(['0000-secrets']);
  });

  test.each([
    [{ env: '' }, `set the environment: pulumi config set env <name> (one of ${Object.keys(environments).join(', ')})`],
    [{ env: 'usdfprod' }, `unknown environment 'usdfprod'; known environments: ${Object.keys(environments).join(', ')}`],
    [{ stopAfter: 'brokers' }, "stopAfter 'brokers' is not a stage; use 0-7 or one of secrets, controller-pool, broker-pool, kafka, schema-registry, registry-ingress, schema-sync, services"],
    [{ stopAfter: '8' }, "stopAfter '8' is not a stage"],
    [{ kafkaTimeout: '1h' }, "kafkaTimeout '1h' is not a number of seconds; use a whole number of at least 1, e.g. pulumi config set kafkaTimeout 3600"],
    [{ operatorTimeout: '0' }, "operatorTimeout '0' is not a number of seconds"],
    [{ dir: '/nonexistent' }, 'cannot read /nonexistent/usdfprod-prompt-processing: ENOENT; run `npm run synth -- --env usdfprod-prompt-processing --out /nonexistent`'],
  ])('fails on bad configuration %p', (config, message) => {
    expect(() => deployStages({ ...base, ...config })).toThrow(message);
  });
});
