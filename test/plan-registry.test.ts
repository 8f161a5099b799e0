import { environments } from '../lib/environments';
import { formatPlan, planChanges, synthesizedObjects } from '../lib/plan';
import { registrySpecChange } from '../lib/plan-registry';
import type { SchemaRegistrySettings } from '../constructs/alert-stream-props';
import { DeepPartial, withChanges } from './helpers';

const prod = environments['usdfprod-prompt-processing'];

describe('plan: registry changes the operator ignores', () => {
  test.each<[string, DeepPartial<SchemaRegistrySettings>, string, string]>([
    ['the image tag', { imageTag: '8.4.0' }, 'registryImageTag 8.3.1', 'registryImageTag 8.4.0'],
    ['the replicas', { replicas: 5 }, 'replicas 3', 'replicas 5'],
    ['the resources', { resources: { requests: { cpu: '200m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } }, 'cpuRequest 100m', 'cpuRequest 200m'],
  ])('a change of %s is flagged with the procedure that applies it', (_, change, before, after) => {
    const plan = planChanges(synthesizedObjects(prod), synthesizedObjects(withChanges(prod, { schemaRegistry: change })));
    expect(plan.unsafe).toEqual([expect.objectContaining({
      rule: 'registry-recreate', object: 'StrimziSchemaRegistry/sasquatch-schema-registry', before, after, allowed: false,
    })]);
    const text = formatPlan(prod.name, plan);
    expect(text).toContain(`UNSAFE [registry-recreate] StrimziSchemaRegistry/sasquatch-schema-registry: ${before} -> ${after}`);
    expect(text).toContain('kubectl -n <namespace> delete strimzischemaregistry <name>');
    expect(text).toContain('registry-schemas');
    expect(text).toContain('--allow registry-recreate');
  });

  test('allowed once the procedure is followed; an unchanged registry is not flagged', () => {
    const changed = synthesizedObjects(withChanges(prod, { schemaRegistry: { imageTag: '8.4.0' } }));
    expect(planChanges(synthesizedObjects(prod), changed, ['registry-recreate']).unsafe.map((u) => u.allowed)).toEqual([true]);
    const otherChange = synthesizedObjects(withChanges(prod, { schemaSync: { imageTag: 'w.2026.40' } }));
    expect(planChanges(synthesizedObjects(prod), otherChange).unsafe).toEqual([]);
  });
});

describe('registrySpecChange', () => {
  test('only changed fields are shown; one set or cleared as (unset) on the side without it; strings bare, other values as JSON', () => {
    const before = { spec: { strimziVersion: 'v1beta2', replicas: 1, listener: 'tls' } };
    const after = { spec: { strimziVersion: 'v1', cpuRequest: '100m', listener: 'tls' } };
    expect(registrySpecChange(before, after)).toEqual({
      before: 'cpuRequest (unset), replicas 1, strimziVersion v1beta2',
      after: 'cpuRequest 100m, replicas (unset), strimziVersion v1',
    });
    expect(registrySpecChange({}, { spec: { listener: { port: 9092 } } })).toEqual({ before: 'listener (unset)', after: 'listener {"port":9092}' });
    expect(registrySpecChange(before, structuredClone(before))).toBeUndefined();
  });
});
