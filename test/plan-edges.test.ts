// Edges of the plan's reading of objects, on small hand-made objects (no synthesis): objects of one kind and name in
// two namespaces are two objects, and only numbers count as node ids.
import type { LocatedObject } from '../lib/manifests';
import { planChanges } from '../lib/plan';

const located = (object: Record<string, any>, file = '0007-services.k8s.yaml'): LocatedObject => ({ file, object });
const configMap = (namespace: string | undefined, data: string) => located({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', ...(namespace ? { namespace } : {}) }, data: { a: data } });

test('one kind and name in two namespaces are two objects: removing one is one removal, the other unchanged', () => {
  const plan = planChanges([configMap('a', '1'), configMap('b', '2')], [configMap('a', '1')]);
  expect(plan.changes.map((c) => [c.action, c.object])).toEqual([['removed', 'ConfigMap/settings']]);
});

test('an object without a namespace and one with a namespace are two objects', () => {
  const plan = planChanges([configMap(undefined, '1'), configMap('b', '2')], [configMap(undefined, '1'), configMap('b', '3')]);
  expect(plan.changes.map((c) => [c.action, c.object, c.fields.map((f) => f.path)])).toEqual([['changed', 'ConfigMap/settings', ['data.a']]]);
});

const pool = (ids: string, replicas: number, removing?: string) => located({
  apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaNodePool',
  metadata: { name: 'kafka', annotations: { 'strimzi.io/next-node-ids': ids, ...(removing ? { 'strimzi.io/remove-node-ids': removing } : {}) } },
  spec: { replicas, roles: ['broker'], storage: { type: 'jbod', volumes: [{ id: 0, type: 'persistent-claim', size: '10Gi' }] } },
}, '0002-broker-pool.k8s.yaml');
const removals = (before: LocatedObject, after: LocatedObject) => planChanges([before], [after]).unsafe.filter((u) => u.rule === 'node-removal').map((u) => u.after);

test('only numbers in next-node-ids are node ids: a text entry is no node, so dropping it removes none', () => {
  expect(removals(pool('[5, 6, "7"]', 2), pool('[5, 6]', 2))).toEqual([]);
  expect(removals(pool('[5, 6, 7]', 3), pool('[5, 6]', 2))).toEqual(['node ids 5, 6 (7 removed; first list 7 in brokers.removing and keep them in nodeIds)']);
});

test.each([['not JSON', '5, 6, 7'], ['JSON that is not a list', '{"ids": [5, 6, 7]}'], ['a number', '7']])('next-node-ids that is %s lists no node', (_, ids) => {
  expect(removals(pool(ids, 3), pool('[5, 6]', 3))).toEqual([]);
  expect(removals(pool('[5, 6, 7]', 3), pool(ids, 3))).toEqual(['node ids  (5, 6, 7 removed; first list 5, 6, 7 in brokers.removing and keep them in nodeIds)']);
});

test('a pool without next-node-ids lists no node', () => {
  const bare = located({ ...pool('[]', 3).object, metadata: { name: 'kafka' } }, '0002-broker-pool.k8s.yaml');
  expect(removals(pool('[5, 6, 7]', 3), bare)).toEqual(['node ids  (5, 6, 7 removed; first list 5, 6, 7 in brokers.removing and keep them in nodeIds)']);
  expect(removals(bare, pool('[5, 6, 7]', 3))).toEqual([]);
});
