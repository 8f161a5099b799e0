/**
 * The generated Argo CD health checks, run in a real Lua VM (wasmoon, Lua 5.4
 * compiled to WebAssembly; Argo CD uses gopher-lua 5.1, and the scripts use
 * only what both have) against objects as the operators leave them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { LuaFactory } from 'wasmoon';
import { environments } from '../lib/environments';
import { HEALTH_CHECKS, healthKey, NO_CHECK_NEEDED, renderArgoCdHealthValues } from '../lib/argocd-health';
import { synthesizeEnvironment } from '../lib/synthesize';

const factory = new LuaFactory();

/** Runs a check's script the way Argo CD does: `obj` set, the returned table is the health. */
async function health(kind: string, obj: unknown): Promise<{ status: string; message: string }> {
  const check = HEALTH_CHECKS.find((c) => c.kind === kind)!;
  // No proxies: the object becomes plain Lua tables, as Argo CD hands it over.
  const engine = await factory.createEngine({ enableProxy: false });
  try {
    // Argo CD opens only base, table and package for a script unless its useOpenLibs key is "true".
    if (!check.openLibs) for (const library of ['string', 'math', 'os', 'io', 'utf8', 'coroutine', 'debug']) engine.global.set(library, undefined);
    engine.global.set('obj', obj);
    return await engine.doString(check.script);
  } finally {
    engine.global.close();
  }
}

const pool = (status?: unknown, generation = 2) => ({
  apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaNodePool',
  metadata: { name: 'kafka', generation, annotations: { 'strimzi.io/next-node-ids': '[5-9]' } },
  spec: { replicas: 5, roles: ['broker'] },
  ...(status === undefined ? {} : { status }),
});

const registry = (annotations: Record<string, string> = {}) => ({
  apiVersion: 'roundtable.lsst.codes/v1beta1', kind: 'StrimziSchemaRegistry',
  metadata: { name: 'sasquatch-schema-registry', generation: 1, annotations: { 'argocd.argoproj.io/sync-wave': '4', ...annotations } },
  spec: { listener: 'tls', compatibilityLevel: 'none' },
});
// kopf's progress record and diff base, as kopf serialises them (compact JSON).
const progress = (fields: string) => `{"started":"2026-11-25T12:00:00.000000","purpose":"create","retries":2,${fields}}`;
const LAST_HANDLED = '{"spec":{"listener":"tls","compatibilityLevel":"none"},"metadata":{"labels":{"strimzi.io/cluster":"sasquatch"}}}';

const vaultSecret = (conditions?: unknown[], generation = 1) => ({
  apiVersion: 'ricoberger.de/v1alpha1', kind: 'VaultSecret',
  metadata: { name: 'sasquatch', generation },
  spec: { path: 'secret/rubin/usdf-prompt-processing/sasquatch', type: 'Opaque' },
  ...(conditions ? { status: { conditions } } : {}),
});
const secretCreated = (status: 'True' | 'False', reason: string, message: string, observedGeneration = 1) =>
  ({ type: 'SecretCreated', status, reason, message, observedGeneration, lastTransitionTime: '2026-11-25T12:00:00Z' });

const gafaelfawr = (create?: Record<string, unknown>, generation = 1) => ({
  apiVersion: 'gafaelfawr.lsst.io/v1alpha1', kind: 'GafaelfawrIngress',
  metadata: { name: 'kafbat', generation },
  config: { scopes: { all: ['exec:internal-tools'] } },
  template: { metadata: { name: 'kafbat' }, spec: { rules: [] } },
  ...(create ? { status: { create: { type: 'ResourceCreated', lastTransitionTime: '2026-11-25T12:00:00Z', ...create } } } : {}),
});

describe('KafkaNodePool', () => {
  test('ready: every node assigned for the current generation', async () => {
    expect(await health('KafkaNodePool', pool({ observedGeneration: 2, nodeIds: [5, 6, 7, 8, 9], replicas: 5, roles: ['broker'] })))
      .toEqual({ status: 'Healthy', message: 'Nodes 5, 6, 7, 8, 9' });
  });
  test('a change Strimzi has not reconciled, or refused and reverted, never holds the sync: Healthy, saying so', async () => {
    // Strimzi keeps the older observedGeneration when it reverts a scale-down it refuses: Progressing would be forever.
    expect(await health('KafkaNodePool', pool({ observedGeneration: 1, nodeIds: [5, 6, 7, 8, 9] })))
      .toEqual({ status: 'Healthy', message: 'Generation 2 applied; Strimzi reconciles it with the Kafka resource (see its status)' });
    // A broker added: its address comes with the Kafka resource of the next wave.
    expect(await health('KafkaNodePool', pool({ observedGeneration: 2, nodeIds: [5, 6, 7] })))
      .toEqual({ status: 'Healthy', message: '3 of 5 nodes assigned; Strimzi reconciles the rest with the Kafka resource (see its status)' });
  });
  test('no status yet: healthy, or its wave would wait for a Kafka resource in a later one', async () => {
    expect(await health('KafkaNodePool', pool())).toMatchObject({ status: 'Healthy', message: expect.stringMatching(/^Not reconciled yet/) });
  });
  test('failed: a condition saying so', async () => {
    expect(await health('KafkaNodePool', pool({ observedGeneration: 2, nodeIds: [], conditions: [{ type: 'NotReady', status: 'True', reason: 'InvalidResourceException', message: 'no storage' }] })))
      .toEqual({ status: 'Degraded', message: 'InvalidResourceException: no storage' });
  });
});

describe('StrimziSchemaRegistry', () => {
  test('ready: the create handler has run', async () => {
    expect(await health('StrimziSchemaRegistry', registry({ 'kopf.zalando.org/last-handled-configuration': LAST_HANDLED })))
      .toMatchObject({ status: 'Healthy', message: expect.stringMatching(/^Created by strimzi-registry-operator/) });
  });
  test('not ready: kopf retrying the handler (the Kafka resource not there yet)', async () => {
    const retrying = progress('"delayed":"2026-11-25T12:01:00.000000","message":"kafkas.kafka.strimzi.io sasquatch not found"');
    expect(await health('StrimziSchemaRegistry', registry({ 'kopf.zalando.org/create_registry': retrying })))
      .toEqual({ status: 'Progressing', message: 'strimzi-registry-operator is retrying (2): kafkas.kafka.strimzi.io sasquatch not found' });
  });
  test('no status yet: waiting for the operator', async () => {
    expect(await health('StrimziSchemaRegistry', registry()))
      .toEqual({ status: 'Progressing', message: 'Waiting for strimzi-registry-operator to create the registry' });
  });
  test('failed: kopf gave up (a permanent error)', async () => {
    const failed = progress('"stopped":"2026-11-25T12:00:01.000000","success":false,"failure":true,"message":"Missing required label strimzi.io/cluster on StrimziSchemaRegistry."');
    expect(await health('StrimziSchemaRegistry', registry({ 'kopf.zalando.org/create_registry': failed, 'kopf.zalando.org/last-handled-configuration': LAST_HANDLED })))
      .toEqual({ status: 'Degraded', message: 'strimzi-registry-operator gave up: Missing required label strimzi.io/cluster on StrimziSchemaRegistry.' });
  });
});

describe('VaultSecret', () => {
  test('ready: the Secret is written', async () => {
    expect(await health('VaultSecret', vaultSecret([secretCreated('True', 'Created', 'Secret was created')])))
      .toEqual({ status: 'Healthy', message: 'Created: Secret was created' });
  });
  test('not ready: the condition is about an older generation', async () => {
    expect(await health('VaultSecret', vaultSecret([secretCreated('True', 'Created', 'Secret was created', 1)], 2)))
      .toMatchObject({ status: 'Progressing' });
  });
  test('no status yet', async () => {
    expect(await health('VaultSecret', vaultSecret())).toEqual({ status: 'Progressing', message: 'Waiting for vault-secrets-operator to write the Secret' });
  });
  test('failed: Vault could not be read', async () => {
    expect(await health('VaultSecret', vaultSecret([secretCreated('False', 'FetchFailed', 'Could not get secret from vault: permission denied')])))
      .toEqual({ status: 'Degraded', message: 'FetchFailed: Could not get secret from vault: permission denied' });
  });
  test('the check reads what the pinned operator version writes: its CRD (../shared/crds, v1.26.0) shows the SecretCreated condition', () => {
    const crd = load(fs.readFileSync(path.join(__dirname, '..', '..', 'shared', 'crds', 'ricoberger.de_vaultsecrets.yaml'), 'utf8')) as any;
    const columns = crd.spec.versions.flatMap((v: any) => v.additionalPrinterColumns ?? []).map((c: any) => c.jsonPath);
    expect(columns).toContain('.status.conditions[?(@.type=="SecretCreated")].status');
    const script = HEALTH_CHECKS.find((c) => c.kind === 'VaultSecret')!;
    expect(script.script).toContain('condition.type == "SecretCreated"');
    expect(script.source).toContain('v1.26.0');
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'shared', 'crds', 'README.md'), 'utf8');
    expect(readme).toMatch(/`ricoberger\.de_vaultsecrets\.yaml`[^\n]*\| v1\.26\.0 /);
  });
});

describe('GafaelfawrIngress', () => {
  test('ready: the Ingress is written', async () => {
    expect(await health('GafaelfawrIngress', gafaelfawr({ status: 'True', reason: 'Created', message: 'Created ingress', observedGeneration: 1 })))
      .toEqual({ status: 'Healthy', message: 'Created: Created ingress' });
    // Gafaelfawr records nothing for an update that leaves the Ingress unchanged: no wait for that.
    expect(await health('GafaelfawrIngress', gafaelfawr({ status: 'True', reason: 'Updated', message: 'Updated ingress', observedGeneration: 1 }, 2)))
      .toMatchObject({ status: 'Healthy' });
  });
  test('not ready: a failure of an older generation, the new one not processed yet', async () => {
    expect(await health('GafaelfawrIngress', gafaelfawr({ status: 'False', reason: 'Failed', message: 'invalid scope', observedGeneration: 1 }, 2)))
      .toEqual({ status: 'Progressing', message: 'Failed: invalid scope' });
  });
  test('no status yet', async () => {
    expect(await health('GafaelfawrIngress', gafaelfawr())).toEqual({ status: 'Progressing', message: 'Waiting for Gafaelfawr to write the Ingress' });
  });
  test('failed', async () => {
    expect(await health('GafaelfawrIngress', gafaelfawr({ status: 'False', reason: 'Failed', message: 'invalid scope', observedGeneration: 1 })))
      .toEqual({ status: 'Degraded', message: 'Failed: invalid scope' });
  });
});

describe('coverage and the generated values', () => {
  const customKinds = new Set(Object.values(environments).flatMap((env) => synthesizeEnvironment(env).flatMap((m) => m.objects))
    .filter((o) => o.apiVersion.includes('.') && !/(^|\.)k8s\.io\//.test(o.apiVersion))
    .map((o) => `${o.apiVersion.split('/')[0]}/${o.kind}`));

  test('every custom kind the environments apply has a check, or Argo CD has one, or it has no status', () => {
    for (const kind of customKinds) {
      const checked = HEALTH_CHECKS.some((c) => `${c.group}/${c.kind}` === kind);
      expect([kind, checked || kind in NO_CHECK_NEEDED]).toEqual([kind, true]);
    }
    for (const c of HEALTH_CHECKS) expect(customKinds).toContain(`${c.group}/${c.kind}`);
  });

  test('docs/argocd-health.yaml is up to date (run `npm run docs`) and holds every script under its key', () => {
    const text = fs.readFileSync(path.join(__dirname, '..', 'docs', 'argocd-health.yaml'), 'utf8');
    expect(text).toBe(renderArgoCdHealthValues());
    const cm = (load(text) as any)['argo-cd'].configs.cm;
    expect(Object.keys(cm)).toEqual([
      'resource.customizations.health.kafka.strimzi.io_KafkaNodePool',
      'resource.customizations.health.roundtable.lsst.codes_StrimziSchemaRegistry',
      'resource.customizations.useOpenLibs.roundtable.lsst.codes_StrimziSchemaRegistry',
      'resource.customizations.health.ricoberger.de_VaultSecret',
      'resource.customizations.health.gafaelfawr.lsst.io_GafaelfawrIngress',
    ]);
    for (const c of HEALTH_CHECKS) expect(cm[healthKey(c)]).toBe(c.script);
  });
});

test('a script that calls a standard library has its useOpenLibs key, and only such a script', () => {
  const values = load(renderArgoCdHealthValues()) as any;
  const cm = values['argo-cd'].configs.cm;
  for (const check of HEALTH_CHECKS) {
    const usesLibraries = /\b(string|math|os|io|utf8|coroutine)\.[a-z]/.test(check.script);
    expect([check.kind, usesLibraries]).toEqual([check.kind, check.openLibs === true]);
    expect([check.kind, cm[`resource.customizations.useOpenLibs.${check.group}_${check.kind}`]]).toEqual([check.kind, check.openLibs ? 'true' : undefined]);
  }
});
