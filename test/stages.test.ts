import { buildStages, STAGE_IDS } from '../constructs/stages';
import { environments } from '../environments';
import { renderManifest, synthesizeEnvironment } from '../lib/synthesize';
import { testApp } from './helpers';

const envs = Object.values(environments);

describe.each(envs)('$name', (env) => {
  const manifests = synthesizeEnvironment(env);

  test('stages follow the manual: controller pool, broker pool, Kafka, registry, registry ingress, schema sync, the rest', () => {
    const stages = buildStages(testApp(), env);
    expect(stages.map((s) => s.node.id)).toEqual(
      ['controller-pool', 'broker-pool', 'kafka', 'schema-registry', 'registry-ingress', 'schema-sync', 'services']);
    expect(stages.map((s) => s.stage)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('each stage depends on the one before it, so cdk8s orders the charts the same way', () => {
    const app = testApp();
    const stages = buildStages(app, env);
    expect(app.charts.map((c) => c.node.id)).toEqual(stages.map((s) => s.node.id));
    stages.slice(1).forEach((stage, i) => expect(stage.node.dependencies).toContain(stages[i]));
  });

  test('files are numbered by stage and only non-empty stages are written', () => {
    for (const m of manifests) {
      expect(m.fileName).toBe(`000${m.stage}-${m.id}.k8s.yaml`);
      expect(m.objects.length).toBeGreaterThan(0);
      expect(STAGE_IDS[m.stage - 1]).toBe(m.id);
    }
    expect(manifests.map((m) => m.fileName)).toEqual([...manifests.map((m) => m.fileName)].sort());
  });

  test('every object carries the Argo CD sync wave of its stage and the environment namespace', () => {
    for (const m of manifests) {
      for (const o of m.objects) {
        expect(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe(String(m.stage));
        expect(o.metadata.namespace).toBe(env.namespace);
      }
    }
  });

  test('no two objects share a kind and name', () => {
    const keys = manifests.flatMap((m) => m.objects.map((o) => `${o.kind}/${o.metadata.name}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test.each(manifests.map((m) => [m.fileName, m] as const))('%s matches the snapshot', (fileName, manifest) => {
    expect(renderManifest(manifest)).toMatchSnapshot(`${env.name}/${fileName}`);
  });
});
