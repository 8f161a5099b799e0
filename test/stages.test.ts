import { buildStages, STAGE_IDS } from '../constructs/stages';
import { environments } from '../lib/environments';
import { renderManifest, synthesizeEnvironment } from '../lib/synthesize';
import { testApp } from './helpers';

const envs = Object.values(environments);

describe.each(envs)('$name', (env) => {
  const manifests = synthesizeEnvironment(env);

  test('stages follow the manual: secrets, controller pool, broker pool, Kafka, registry, registry ingress, schema sync, the rest', () => {
    const stages = buildStages(testApp(), env);
    expect(stages.map((s) => s.node.id)).toEqual(
      ['secrets', 'controller-pool', 'broker-pool', 'kafka', 'schema-registry', 'registry-ingress', 'schema-sync', 'services']);
    expect(stages.map((s) => s.stage)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
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
      expect(STAGE_IDS[m.stage]).toBe(m.id);
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

  test('the VaultSecret is applied in a wave before every object that reads its Secret', () => {
    const wave = (o: { metadata: { annotations?: Record<string, string> } }) => Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave']);
    const objects = manifests.flatMap((m) => m.objects);
    const vaultSecrets = objects.filter((o) => o.kind === 'VaultSecret');
    // A secretKeyRef or a secret volume naming the Secret anywhere in an object.
    const reads = (o: unknown, secret: string): boolean => {
      if (Array.isArray(o)) return o.some((v) => reads(v, secret));
      if (o === null || typeof o !== 'object') return false;
      const r = o as Record<string, unknown>;
      const ref = r.secretKeyRef as { name?: string } | undefined;
      return ref?.name === secret || (r.secret as { secretName?: string } | undefined)?.secretName === secret ||
        Object.values(r).some((v) => reads(v, secret));
    };
    for (const vaultSecret of vaultSecrets) {
      const readers = objects.filter((o) => o !== vaultSecret && reads(o, vaultSecret.metadata.name));
      expect(readers.length).toBeGreaterThan(0);
      for (const reader of readers) expect([`${reader.kind}/${reader.metadata.name}`, wave(reader) > wave(vaultSecret)]).toEqual([`${reader.kind}/${reader.metadata.name}`, true]);
    }
    expect(vaultSecrets.length).toBe(env.vaultPathPrefix ? 1 : 0);
  });

  test('no two objects share a kind and name', () => {
    const keys = manifests.flatMap((m) => m.objects.map((o) => `${o.kind}/${o.metadata.name}`));
    expect(new Set(keys).size).toBe(keys.length);
  });

  test.each(manifests.map((m) => [m.fileName, m] as const))('%s matches the snapshot', (fileName, manifest) => {
    expect(renderManifest(manifest)).toMatchSnapshot(`${env.name}/${fileName}`);
  });
});
