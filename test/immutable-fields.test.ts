import { immutableFieldChanges } from '../lib/immutable-fields';

const selectorChange = [{ path: 'spec.selector.matchLabels.app', before: 'a', after: 'b' }];

describe('immutableFieldChanges', () => {
  test('an object without metadata or annotations is checked, not skipped', () => {
    const deployment = { kind: 'Deployment' };
    expect(immutableFieldChanges(deployment, deployment, selectorChange)).toEqual([{ field: 'spec.selector', changes: selectorChange }]);
    const bare = { kind: 'Deployment', metadata: { name: 'd' } };
    expect(immutableFieldChanges(bare, bare, selectorChange)).toEqual([{ field: 'spec.selector', changes: selectorChange }]);
  });

  test('a delete policy alone does not make an object a hook', () => {
    const job = { kind: 'Job', metadata: { annotations: { 'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation' } } };
    const change = [{ path: 'spec.template.spec.containers[0].image', before: 'a', after: 'b' }];
    expect(immutableFieldChanges(job, job, change)).toEqual([{ field: 'spec.template', changes: change }]);
    const hook = { kind: 'Job', metadata: { annotations: { 'argocd.argoproj.io/hook': 'PostSync', 'argocd.argoproj.io/hook-delete-policy': ' BeforeHookCreation ' } } };
    expect(immutableFieldChanges(hook, hook, change)).toEqual([]);
  });

  test('a field is matched whole, not by a name it begins with', () => {
    const change = [{ path: 'spec.selectorExtra', before: 1, after: 2 }];
    expect(immutableFieldChanges({ kind: 'Deployment' }, { kind: 'Deployment' }, change)).toEqual([]);
  });
});

describe('the fields the API server refuses to change, per kind', () => {
  /** The fields flagged for one change at `path` of an object of `kind`. */
  const flagged = (kind: string, path: string, ...after: [unknown?]) =>
    immutableFieldChanges({ kind }, { kind }, [{ path, before: 'old', after: after.length > 0 ? after[0] : 'new' }]).map((f) => f.field);

  test.each([
    ['Deployment', 'spec.selector.matchLabels.app', 'spec.selector'],
    ['ReplicaSet', 'spec.selector.matchLabels.app', 'spec.selector'],
    ['DaemonSet', 'spec.selector.matchLabels.app', 'spec.selector'],
    ['Job', 'spec.selector.matchLabels.app', 'spec.selector'],
    ['Job', 'spec.template.spec.containers[0].image', 'spec.template'],
    ['Job', 'spec.completionMode', 'spec.completionMode'],
    ['Job', 'spec.podFailurePolicy.rules[0].action', 'spec.podFailurePolicy'],
    ['Job', 'spec.backoffLimitPerIndex', 'spec.backoffLimitPerIndex'],
    ['Job', 'spec.managedBy', 'spec.managedBy'],
    ['Job', 'spec.successPolicy.rules[0].succeededCount', 'spec.successPolicy'],
    ['StatefulSet', 'spec.serviceName', 'spec.serviceName'],
    ['StatefulSet', 'spec.volumeClaimTemplates[0].spec.storageClassName', 'spec.volumeClaimTemplates'],
    ['Service', 'spec.clusterIP', 'spec.clusterIP'],
    ['Service', 'spec.clusterIPs[0]', 'spec.clusterIPs'],
    ['PersistentVolumeClaim', 'spec.storageClassName', 'spec.storageClassName'],
    ['PersistentVolumeClaim', 'spec.resources.limits.storage', 'spec.resources'],
    ['RoleBinding', 'roleRef.name', 'roleRef'],
    ['ClusterRoleBinding', 'roleRef.name', 'roleRef'],
  ])('%s: a change of %s is refused (%s)', (kind, path, field) => {
    expect(flagged(kind, path)).toEqual([field]);
  });

  test.each([
    ['Deployment', 'spec.template.spec.containers[0].image'],
    ['Deployment', 'spec.replicas'],
    ['DaemonSet', 'spec.template.metadata.labels.a'],
    ['Job', 'spec.parallelism'],
    ['StatefulSet', 'spec.replicas'],
    ['StatefulSet', 'spec.ordinals.start'],
    ['StatefulSet', 'spec.template.spec.containers[0].image'],
    ['StatefulSet', 'spec.updateStrategy.type'],
    ['StatefulSet', 'spec.revisionHistoryLimit'],
    ['StatefulSet', 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted'],
    ['StatefulSet', 'spec.minReadySeconds'],
    ['StatefulSet', 'metadata.labels.a'],
    ['Service', 'spec.ports[0].port'],
    ['PersistentVolumeClaim', 'spec.resources.requests.storage'],
    ['PersistentVolumeClaim', 'spec.volumeAttributesClassName'],
    ['RoleBinding', 'subjects[0].name'],
    ['ConfigMap', 'data.a'],
  ])('%s: a change of %s is allowed', (kind, path) => {
    expect(flagged(kind, path)).toEqual([]);
  });

  test('a Service address left to the server (removed or emptied) is allowed', () => {
    expect(flagged('Service', 'spec.clusterIP', undefined)).toEqual([]);
    expect(flagged('Service', 'spec.clusterIP', '')).toEqual([]);
  });
});
