/** The parts of `plan --from cluster` that need no cluster: what is compared, and what a client-side apply removes. */
import { comparable, formatDrift, formatRefused, withoutDropped } from '../lib/cluster-plan';

describe('comparable: a live object without what no repository writes', () => {
  const live = {
    apiVersion: 'v1', kind: 'Service',
    metadata: {
      name: 'kafbat', namespace: 'sasquatch', uid: 'u', resourceVersion: '7', generation: 2, creationTimestamp: 'now', selfLink: '/x',
      managedFields: [{ manager: 'argocd-controller' }],
      annotations: { 'argocd.argoproj.io/tracking-id': 'sasquatch:/Service:sasquatch/kafbat', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      labels: { 'app.kubernetes.io/instance': 'sasquatch', app: 'kafbat' },
    },
    spec: { clusterIP: '10.0.0.1' },
    status: { loadBalancer: {} },
  };

  test('status, server metadata, tracking annotations and the tracking label go; the rest stays', () => {
    expect(comparable(live)).toEqual({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'kafbat', namespace: 'sasquatch', labels: { app: 'kafbat' } }, spec: { clusterIP: '10.0.0.1' },
    });
    expect(live.metadata.uid).toBe('u');
  });

  test('the tracking label stays when the repository sets it itself; empty maps go', () => {
    expect(comparable(live, { metadata: { labels: { 'app.kubernetes.io/instance': 'sasquatch' } } }).metadata.labels).toEqual({ 'app.kubernetes.io/instance': 'sasquatch', app: 'kafbat' });
    const bare = comparable({ kind: 'ConfigMap', metadata: { name: 'c', annotations: { 'argocd.argoproj.io/tracking-id': 't' }, labels: { 'app.kubernetes.io/instance': 'i' } } });
    expect(bare).toEqual({ kind: 'ConfigMap', metadata: { name: 'c' } });
  });
});

describe('withoutDropped: what a client-side apply deletes', () => {
  test('keys the last apply wrote and the new object leaves out are deleted, at any depth; others stay', () => {
    const applied = { spec: { config: { a: 1, b: 2, c: 3 }, replicas: 3, byHand: true }, metadata: { name: 'x' } };
    const last = { spec: { config: { a: 1, b: 2 }, replicas: 3 }, metadata: { name: 'x' } };
    const next = { spec: { config: { a: 1 }, replicas: 3 }, metadata: { name: 'x' } };
    expect(withoutDropped(applied, last, next)).toEqual({ spec: { config: { a: 1, c: 3 }, replicas: 3, byHand: true }, metadata: { name: 'x' } });
    expect(applied.spec.config.b).toBe(2);
  });

  test('a whole map dropped goes; lists and values of another type are left as the server merged them', () => {
    const applied = { spec: { template: { x: 1 }, ports: [{ port: 1 }, { port: 2 }], mode: { a: 1 } } };
    const last = { spec: { template: { x: 1 }, ports: [{ port: 1 }, { port: 2 }], mode: { a: 1 } } };
    const next = { spec: { ports: [{ port: 1 }], mode: 'simple' } };
    expect(withoutDropped(applied, last, next)).toEqual({ spec: { ports: [{ port: 1 }, { port: 2 }], mode: { a: 1 } } });
  });
});

describe('the drift and refusal sections', () => {
  test('no drift is one line naming the synced output', () => {
    expect(formatDrift('dev', 'main', [])).toBe("drift: none (the cluster holds dev's output of main as synced)\n");
    expect(formatRefused([])).toBe('');
  });

  test('fields, missing objects and objects that could not be compared, one line each', () => {
    expect(formatDrift('dev', 'dist', [
      { object: 'KafkaTopic/t', stage: 7, fields: [{ path: 'spec.config.retention.ms', before: 1, after: 2 }, { path: 'spec.partitions', before: 3 }] },
      { object: 'Service/s', stage: 7, fields: [], missing: 'not in the cluster' },
      { object: 'Job/j', stage: 6, fields: [], unchecked: 'refused' },
    ]).split('\n')).toEqual([
      "drift: the cluster differs from dev's output of dist (a sync puts the repository's side back):",
      '  ~ KafkaTopic/t',
      '      spec.config.retention.ms: repository 1, cluster 2',
      '      spec.partitions: repository 3, cluster (none)',
      '  - Service/s: not in the cluster',
      '  ? Job/j: refused',
      '',
    ]);
    expect(formatRefused([{ object: 'Deployment/d', stage: 7, message: '422 Invalid: field is immutable' }])).toBe(
      'refused by the API server (the sync would fail on these):\n  REFUSED Deployment/d: 422 Invalid: field is immutable\n');
  });
});
