import { environments } from '../environments';
import { fieldChanges, planChanges, PlanRule, synthesizedObjects } from '../lib/plan';
import type { LocatedObject } from '../lib/validate';

const prod = environments['usdfprod-prompt-processing'];
const output = (): LocatedObject[] => synthesizedObjects(prod);
const find = (objects: LocatedObject[], kind: string, name: string) =>
  objects.find((l) => l.object.kind === kind && l.object.metadata.name === name)!.object;

/** The plan from the real output (old) to a copy changed by `edit` (new). */
function planEdit(edit: (objects: LocatedObject[]) => LocatedObject[] | void, allow: PlanRule[] = []) {
  const before = output();
  const after = structuredClone(before);
  return planChanges(before, edit(after) ?? after, allow);
}

describe('plan', () => {
  test('an identical pair has no changes and nothing unsafe', () => {
    expect(planChanges(output(), output())).toEqual({ changes: [], unsafe: [] });
  });

  test('lists added, changed and removed objects per stage, with field differences', () => {
    const plan = planEdit((objects) => {
      find(objects, 'KafkaTopic', 'lsst-alerts-v11').spec.partitions = 90;
      find(objects, 'Kafka', 'sasquatch').spec.kafka.config['log.retention.minutes'] = 20160;
      return [...objects, { file: '0006-services.k8s.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } }];
    });
    expect(plan.changes).toEqual([
      { action: 'changed', object: 'Kafka/sasquatch', stage: 3, fields: [{ path: 'spec.kafka.config.log.retention.minutes', before: 10080, after: 20160 }] },
      { action: 'added', object: 'ConfigMap/x', stage: 6, fields: [] },
      { action: 'changed', object: 'KafkaTopic/lsst-alerts-v11', stage: 6, fields: [{ path: 'spec.partitions', before: 45, after: 90 }] },
    ]);
    expect(plan.unsafe).toEqual([]);
  });

  test.each<[PlanRule, (objects: LocatedObject[]) => LocatedObject[] | void, string, string]>([
    ['storage-decrease', (o) => { find(o, 'KafkaNodePool', 'kafka').spec.storage.volumes[0].size = '30Ti'; }, 'volume 0: 35Ti', '30Ti'],
    ['storage-class-change', (o) => { find(o, 'KafkaNodePool', 'controller').spec.storage.volumes[0].class = 'standard'; }, 'volume 0: class wekafs--sdf-k8s01', 'class standard'],
    ['partition-decrease', (o) => { find(o, 'KafkaTopic', 'alert-stream-test').spec.partitions = 100; }, '400 partitions', '100 partitions'],
    ['topic-removal', (o) => o.filter((l) => l.object.metadata.name !== 'alerts-simulated'), 'topic alerts-simulated', 'removed'],
    ['user-removal', (o) => o.filter((l) => l.object.metadata.name !== 'fink-usdf'), 'user fink-usdf', 'removed'],
    ['broker-identity-change', (o) => {
      find(o, 'Kafka', 'sasquatch').spec.kafka.listeners[2].configuration.brokers[1].annotations['metallb.io/loadBalancerIPs'] = '134.79.23.250';
    }, 'broker 6 rubin-alert-stream-broker-6.slac.stanford.edu 134.79.23.213', 'broker 6 rubin-alert-stream-broker-6.slac.stanford.edu 134.79.23.250'],
    ['delete-claim', (o) => { find(o, 'KafkaNodePool', 'kafka').spec.storage.volumes[0].deleteClaim = true; }, 'volume 0', 'deleteClaim: true'],
    ['kafka-downgrade', (o) => { find(o, 'Kafka', 'sasquatch').spec.kafka.version = '4.0.0'; }, 'Kafka 4.1.0', 'Kafka 4.0.0'],
    ['cluster-removal', (o) => o.filter((l) => l.object.kind !== 'Kafka'), 'cluster sasquatch', 'removed'],
  ])('flags %s', (rule, edit, before, after) => {
    const plan = planEdit(edit);
    expect(plan.unsafe).toEqual([expect.objectContaining({ rule, before, after, allowed: false })]);
    expect(plan.unsafe[0].procedure.length).toBeGreaterThan(20);
  });

  test('flags the removal of node ids and the replica decrease of a pool', () => {
    const plan = planEdit((o) => {
      const pool = find(o, 'KafkaNodePool', 'kafka');
      pool.spec.replicas = 4;
      pool.metadata.annotations['strimzi.io/next-node-ids'] = '[5,6,7,8]';
    });
    expect(plan.unsafe.map((u) => [u.rule, u.object, u.before, u.after])).toEqual([
      ['replica-decrease', 'KafkaNodePool/kafka', '5 replicas', '4 replicas'],
      ['node-removal', 'KafkaNodePool/kafka', 'node ids 5, 6, 7, 8, 9', 'node ids 5, 6, 7, 8 (9 removed)'],
    ]);
  });

  test('flags a broker moved to a new node id with its host', () => {
    const plan = planEdit((o) => {
      find(o, 'Kafka', 'sasquatch').spec.kafka.listeners[2].configuration.brokers[4].broker = 10;
    });
    expect(plan.unsafe).toEqual([expect.objectContaining({
      rule: 'broker-identity-change',
      before: 'broker 9 rubin-alert-stream-broker-9.slac.stanford.edu 134.79.23.211',
      after: 'broker 10 rubin-alert-stream-broker-9.slac.stanford.edu 134.79.23.211',
    })]);
  });

  test('a storage increase and a Kafka upgrade are safe', () => {
    const plan = planEdit((o) => {
      find(o, 'KafkaNodePool', 'kafka').spec.storage.volumes[0].size = '40Ti';
      find(o, 'Kafka', 'sasquatch').spec.kafka.version = '4.1.1';
    });
    expect(plan.changes.map((c) => c.object)).toEqual(['KafkaNodePool/kafka', 'Kafka/sasquatch']);
    expect(plan.unsafe).toEqual([]);
  });

  test('an allowed rule is marked allowed', () => {
    const plan = planEdit((o) => o.filter((l) => l.object.metadata.name !== 'fink-usdf'), ['user-removal']);
    expect(plan.unsafe).toEqual([expect.objectContaining({ rule: 'user-removal', allowed: true })]);
  });
});

describe('immutable-field-change', () => {
  /** rule, object and the first changed field of each finding */
  const rules = (plan: ReturnType<typeof planEdit>) => plan.unsafe.map((u) => [u.rule, u.object, u.before.split(':')[0]]);
  /** A plan from `before` to `after`, as objects of one manifest file. */
  const planPair = (before: Record<string, any>, after: Record<string, any>) =>
    planChanges([{ file: '0006-services.k8s.yaml', object: before }], [{ file: '0006-services.k8s.yaml', object: after }]);

  test('flags a Deployment selector change, with the old and new selector', () => {
    const plan = planEdit((o) => { find(o, 'Deployment', 'kafbat').spec.selector.matchLabels['app.kubernetes.io/name'] = 'kafbat-ui'; });
    expect(plan.unsafe).toEqual([expect.objectContaining({ rule: 'immutable-field-change', object: 'Deployment/kafbat', allowed: false })]);
    expect(plan.unsafe[0].before).toBe('spec.selector.matchLabels.app.kubernetes.io/name: "kafbat"');
    expect(plan.unsafe[0].after).toBe('"kafbat-ui"');
  });

  test('a Deployment template change (a new image) is safe', () => {
    const plan = planEdit((o) => { find(o, 'Deployment', 'kafbat').spec.template.spec.containers[0].image = 'example/kafbat:2'; });
    expect(plan.unsafe).toEqual([]);
  });

  test('a Job template change is safe for a hook Argo CD recreates, and flagged for a plain Job', () => {
    const newImage = (o: LocatedObject[]) => { find(o, 'Job', 'sasquatch-sync-schema').spec.template.spec.containers[0].image = 'lsstdm/lsst_alert_packet:w.2026.30'; };
    expect(planEdit(newImage).unsafe).toEqual([]);
    const before = structuredClone(find(output(), 'Job', 'sasquatch-sync-schema'));
    delete before.metadata.annotations['argocd.argoproj.io/hook'];
    delete before.metadata.annotations['argocd.argoproj.io/hook-delete-policy'];
    const after = structuredClone(before);
    after.spec.template.spec.containers[0].image = 'lsstdm/lsst_alert_packet:w.2026.30';
    expect(rules(planPair(before, after))).toEqual([['immutable-field-change', 'Job/sasquatch-sync-schema', 'spec.template.spec.containers[0].image']]);
  });

  test('a Service clusterIP set to a value is flagged; leaving it to the server is safe', () => {
    const service = structuredClone(find(output(), 'Service', 'kafbat'));
    const pinned = structuredClone(service);
    pinned.spec.clusterIP = '10.96.0.50';
    expect(rules(planPair(service, pinned))).toEqual([['immutable-field-change', 'Service/kafbat', 'spec.clusterIP']]);
    expect(planPair(pinned, service).unsafe).toEqual([]);
  });

  const claim = {
    apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'sasquatch' },
    spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
  };

  test('a PVC storage class or access mode change is flagged; a larger request is not', () => {
    const moved = structuredClone(claim);
    moved.spec.storageClassName = 'slow';
    moved.spec.accessModes = ['ReadWriteMany'];
    expect(rules(planPair(claim, moved))).toEqual([
      ['immutable-field-change', 'PersistentVolumeClaim/data', 'spec.accessModes[0]'],
      ['immutable-field-change', 'PersistentVolumeClaim/data', 'spec.storageClassName'],
    ]);
    const grown = structuredClone(claim);
    grown.spec.resources.requests.storage = '2Gi';
    expect(planPair(claim, grown).unsafe).toEqual([]);
  });

  test('a StatefulSet volumeClaimTemplates change is flagged; replicas are not', () => {
    const set = {
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' },
      spec: { replicas: 1, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, volumeClaimTemplates: [claim] },
    };
    const changed = structuredClone(set);
    changed.spec.replicas = 3;
    expect(planPair(set, changed).unsafe).toEqual([]);
    changed.spec.volumeClaimTemplates[0].spec.resources.requests.storage = '5Gi';
    expect(rules(planPair(set, changed))).toEqual([['immutable-field-change', 'StatefulSet/db', 'spec.volumeClaimTemplates[0].spec.resources.requests.storage']]);
  });

  test('the data of an immutable ConfigMap is flagged, of a mutable one not', () => {
    const map = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' }, data: { a: '1' } };
    const edited = { ...map, data: { a: '2' } };
    expect(planPair(map, edited).unsafe).toEqual([]);
    expect(rules(planPair({ ...map, immutable: true }, { ...edited, immutable: true }))).toEqual([['immutable-field-change', 'ConfigMap/m', 'data.a']]);
  });
});

describe('fieldChanges', () => {
  test('an inserted list element is one addition, not a shift of every later element', () => {
    expect(fieldChanges({ l: ['a', 'b', 'c'] }, { l: ['a', 'x', 'b', 'c'] })).toEqual([{ path: 'l[1]', after: 'x' }]);
  });

  test('an element replaced in place is compared field by field', () => {
    expect(fieldChanges({ l: [{ n: 1, v: 'a' }] }, { l: [{ n: 1, v: 'b' }] })).toEqual([{ path: 'l[0].v', before: 'a', after: 'b' }]);
  });

  test('removed fields and removed elements show what was there', () => {
    expect(fieldChanges({ a: 1, l: [1, 2] }, { l: [2] })).toEqual([{ path: 'a', before: 1, after: undefined }, { path: 'l[0]', before: 1 }]);
  });
});
