import { environments } from '../lib/environments';
import { fieldChanges, formatPlan, PLAN_RULES, planChanges, PlanRule, synthesizedObjects } from '../lib/plan';
import type { LocatedObject } from '../lib/manifests';

const prod = environments['usdfprod-prompt-processing'];
let synthesized: LocatedObject[] | undefined;
/** A fresh copy of production's output, synthesized once per file (the mutation run executes this file per mutant). */
const output = (): LocatedObject[] => structuredClone(synthesized ??= synthesizedObjects(prod));
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
      return [...objects, { file: '0007-services.k8s.yaml', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } }];
    });
    expect(plan.changes).toEqual([
      { action: 'changed', object: 'Kafka/sasquatch', stage: 3, fields: [{ path: 'spec.kafka.config.log.retention.minutes', before: 10080, after: 20160 }] },
      { action: 'added', object: 'ConfigMap/x', stage: 7, fields: [] },
      { action: 'changed', object: 'KafkaTopic/lsst-alerts-v11', stage: 7, fields: [{ path: 'spec.partitions', before: 45, after: 90 }] },
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
      ['node-removal', 'KafkaNodePool/kafka', 'node ids 5, 6, 7, 8, 9', 'node ids 5, 6, 7, 8 (9 removed; first list 9 in brokers.removing and keep them in nodeIds)'],
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

describe('plan never misses an unsafe change', () => {
  const pool = (o: LocatedObject[]) => find(o, 'KafkaNodePool', 'kafka');
  const local = environments['local-bootstrap'];

  test.each([
    ['the same size in bytes', '38482906972160', []],
    ['the same size in a smaller unit', '35840Gi', []],
    ['a decimal exponent that is larger', '4e13', []],
    ['a fraction of a larger unit that is smaller', '0.03Pi', ['storage-decrease']],
    ['decimal terabytes that are smaller', '38T', ['storage-decrease']],
    ['one byte less', '38482906972159', ['storage-decrease']],
    ['nano-units', '100n', ['storage-decrease']],
  ])('compares %s exactly (35Ti -> %s)', (_name, size, rules) => {
    expect(planEdit((o) => { pool(o).spec.storage.volumes[0].size = size; }).unsafe.map((u) => u.rule)).toEqual(rules);
  });

  test('a size that is not a quantity is an unsafe finding, never skipped', () => {
    const plan = planEdit((o) => { pool(o).spec.storage.volumes[0].size = '35 TB'; });
    expect(plan.unsafe).toEqual([expect.objectContaining({ rule: 'unreadable-value', before: 'volume 0: size "35Ti"', after: 'size "35 TB" (not both Kubernetes quantities)' })]);
  });

  test('a JBOD volume whose id changes is data loss', () => {
    const plan = planEdit((o) => { pool(o).spec.storage.volumes[0].id = 1; });
    expect(plan.unsafe).toEqual([expect.objectContaining({ rule: 'volume-removal', object: 'KafkaNodePool/kafka', before: 'volume 0 (35Ti)', after: 'volume 0 gone (volumes now: 1)' })]);
  });

  test('storage of a pool that is not JBOD is compared too', () => {
    const changed = planChanges([{ file: '0002-x.yaml', object: { kind: 'KafkaNodePool', metadata: { name: 'p' }, spec: { storage: { type: 'persistent-claim', size: '40Ti' } } } }],
      [{ file: '0002-x.yaml', object: { kind: 'KafkaNodePool', metadata: { name: 'p' }, spec: { storage: { type: 'persistent-claim', size: '39Ti' } } } }]);
    expect(changed.unsafe.map((u) => [u.rule, u.before, u.after])).toEqual([['storage-decrease', 'volume 0: 40Ti', '39Ti']]);
  });

  test.each([
    ['4.10.0', '4.9.0', ['kafka-downgrade']],
    ['4.9.0', '4.10.0', []],
    ['4.1.0', '4.1.1', []],
    ['4.1.0', '4.1', ['unreadable-value']],
  ])('Kafka %s -> %s is compared as semantic versions', (from, to, rules) => {
    const before = output();
    find(before, 'Kafka', 'sasquatch').spec.kafka.version = from;
    const after = structuredClone(before);
    find(after, 'Kafka', 'sasquatch').spec.kafka.version = to;
    expect(planChanges(before, after).unsafe.map((u) => u.rule)).toEqual(rules);
  });

  test('a broker whose host alone changes is an identity change', () => {
    const plan = planEdit((o) => { find(o, 'Kafka', 'sasquatch').spec.kafka.listeners[2].configuration.brokers[0].advertisedHost = 'elsewhere.slac.stanford.edu'; });
    expect(plan.unsafe).toEqual([expect.objectContaining({ rule: 'broker-identity-change', after: expect.stringContaining('elsewhere.slac.stanford.edu 134.79.23.212') })]);
  });

  test('a broker whose node port changes is an identity change (node-port listener)', () => {
    const before = synthesizedObjects(local);
    const after = structuredClone(before);
    const listener = find(after, 'Kafka', 'sasquatch').spec.kafka.listeners.find((l: any) => l.type === 'nodeport');
    listener.configuration.brokers[0].nodePort += 1;
    expect(planChanges(before, after).unsafe).toEqual([expect.objectContaining({ rule: 'broker-identity-change', before: expect.stringMatching(/port \d+$/) })]);
  });

  test('a partition or replica count that is not a number is an unsafe finding, never skipped', () => {
    const topic = planEdit((o) => { find(o, 'KafkaTopic', 'lsst-alerts-v11').spec.partitions = 'many'; });
    expect(topic.unsafe).toEqual([expect.objectContaining({ rule: 'unreadable-value', object: 'KafkaTopic/lsst-alerts-v11', before: 'partitions 45', after: 'partitions "many" (not both numbers)' })]);
    const pool = planEdit((o) => { find(o, 'KafkaNodePool', 'kafka').spec.replicas = 'five'; });
    expect(pool.unsafe).toEqual([expect.objectContaining({ rule: 'unreadable-value', object: 'KafkaNodePool/kafka', before: 'replicas 5', after: 'replicas "five" (not both numbers)' })]);
  });

  test('removing a whole node pool removes its nodes', () => {
    const plan = planEdit((o) => o.filter((l) => !(l.object.kind === 'KafkaNodePool' && l.object.metadata.name === 'kafka')));
    expect(plan.unsafe).toEqual([expect.objectContaining({ rule: 'node-removal', object: 'KafkaNodePool/kafka', after: 'pool removed' })]);
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
    const empty = structuredClone(service);
    empty.spec.clusterIP = '';
    expect(planPair(service, empty).unsafe).toEqual([]);
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
    changed.spec.volumeClaimTemplates[0].spec.storageClassName = 'slow';
    changed.spec.serviceName = 'db2';
    expect(planPair(set, changed).unsafe.map((u) => u.after)).toEqual(['"db2"', '"slow" (and 1 more under spec.volumeClaimTemplates)']);
  });

  test('the data of an immutable ConfigMap is flagged, of a mutable one not', () => {
    const map = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'm' }, data: { a: '1' } };
    const edited = { ...map, data: { a: '2' } };
    expect(planPair(map, edited).unsafe).toEqual([]);
    expect(rules(planPair({ ...map, immutable: true }, { ...edited, immutable: true }))).toEqual([['immutable-field-change', 'ConfigMap/m', 'data.a']]);
  });

  test('the data of an immutable Secret is flagged too; an immutable object of another kind is judged by its own fields', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, immutable: true, stringData: { a: '1' } };
    expect(rules(planPair(secret, { ...secret, stringData: { a: '2' } }))).toEqual([['immutable-field-change', 'Secret/s', 'stringData.a']]);
    const binary = { ...secret, binaryData: { b: 'AA==' } };
    expect(rules(planPair(binary, { ...binary, binaryData: { b: 'AQ==' } }))).toEqual([['immutable-field-change', 'Secret/s', 'binaryData.b']]);
    expect(rules(planPair(secret, { ...secret, immutable: false }))).toEqual([['immutable-field-change', 'Secret/s', 'immutable']]);
    const account = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' }, immutable: true, data: { a: '1' } };
    expect(planPair(account, { ...account, data: { a: '2' } }).unsafe).toEqual([]);
  });

  test('a Service clusterIPs address changed is flagged under spec.clusterIPs', () => {
    const service = structuredClone(find(output(), 'Service', 'kafbat'));
    service.spec.clusterIPs = ['10.96.0.10'];
    const moved = structuredClone(service);
    moved.spec.clusterIPs = ['10.96.0.50'];
    expect(planPair(service, moved).unsafe).toEqual([expect.objectContaining({ rule: 'immutable-field-change', before: 'spec.clusterIPs[0]: "10.96.0.10"' })]);
  });

  test('only a hook Argo CD deletes before creating (BeforeHookCreation, among other policies) escapes the check', () => {
    const job = (policy: string | undefined) => {
      const hook = structuredClone(find(output(), 'Job', 'sasquatch-sync-schema'));
      if (policy === undefined) delete hook.metadata.annotations['argocd.argoproj.io/hook-delete-policy'];
      else hook.metadata.annotations['argocd.argoproj.io/hook-delete-policy'] = policy;
      const changed = structuredClone(hook);
      changed.spec.template.spec.containers[0].image = 'lsstdm/lsst_alert_packet:w.2026.30';
      return rules(planPair(hook, changed));
    };
    const flagged = [['immutable-field-change', 'Job/sasquatch-sync-schema', 'spec.template.spec.containers[0].image']];
    expect(job('HookSucceeded, BeforeHookCreation')).toEqual([]);
    expect(job('HookSucceeded')).toEqual(flagged);
    expect(job(undefined)).toEqual(flagged);
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

describe('plan on hand-made objects: every branch of every rule', () => {
  const at = (file: string, object: Record<string, any>): LocatedObject => ({ file, object });
  const pool = (spec: object, annotations: object = {}) =>
    at('0002-pool.yaml', { kind: 'KafkaNodePool', metadata: { name: 'p', annotations }, spec: { storage: { type: 'persistent-claim', size: '1Gi' }, ...spec } });
  const kafka = (kafkaSpec: object) => at('0003-kafka.yaml', { kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: kafkaSpec } });
  const unsafe = (before: LocatedObject[], after: LocatedObject[]) => planChanges(before, after).unsafe.map((u) => [u.rule, u.object, u.before, u.after]);
  const jbod = (...volumes: object[]) => ({ storage: { type: 'jbod', volumes } });

  test('the stage is the file prefix in any folder, else the sync wave, else 0', () => {
    const objects = [
      at('dist/env/0004-x.yaml', { kind: 'ConfigMap', metadata: { name: 'a' } }),
      at('x.yaml', { kind: 'ConfigMap', metadata: { name: 'b', annotations: { 'argocd.argoproj.io/sync-wave': '5' } } }),
      at('10003-x.yaml', { kind: 'ConfigMap', metadata: { name: 'c' } }),
      at('0001-x.yaml.d/y.yaml', { kind: 'ConfigMap', metadata: { name: 'd' } }),
      at('dir\\0002-z.yaml', { kind: 'ConfigMap', metadata: { name: 'e' } }),
    ];
    expect(planChanges([], objects).changes.map((c) => `${c.stage} ${c.action} ${c.object}`)).toEqual([
      '0 added ConfigMap/c', '0 added ConfigMap/d', '2 added ConfigMap/e', '4 added ConfigMap/a', '5 added ConfigMap/b',
    ]);
    expect(planChanges(objects, []).changes.map((c) => c.action)).toEqual(['removed', 'removed', 'removed', 'removed', 'removed']);
  });

  test('objects of one name in two namespaces are two objects', () => {
    const cm = (namespace: string, v: string) => at('0006-s.yaml', { kind: 'ConfigMap', metadata: { name: 'a', namespace }, data: { v } });
    expect(planChanges([cm('x', '1'), cm('y', '1')], [cm('y', '2')]).changes).toEqual([
      { action: 'changed', object: 'ConfigMap/a', stage: 6, fields: [{ path: 'data.v', before: '1', after: '2' }] },
      { action: 'removed', object: 'ConfigMap/a', stage: 6, fields: [] },
    ]);
  });

  test('removing a pool flags its node ids; an unreadable node-id annotation counts as none', () => {
    expect(unsafe([pool({}, { 'strimzi.io/next-node-ids': '[3,4]' })], [])).toEqual([['node-removal', 'KafkaNodePool/p', 'node ids 3, 4', 'pool removed']]);
    expect(unsafe([pool({ replicas: 2 }, { 'strimzi.io/next-node-ids': '[3,4' })], [pool({ replicas: 2 }, { 'strimzi.io/next-node-ids': '[]' })])).toEqual([]);
  });

  test('a removed volume lists the volumes left, or none', () => {
    expect(unsafe([pool(jbod({ id: 0, size: '1Gi' }, { id: 1, size: '2Gi' }))], [pool(jbod({ id: 1, size: '2Gi' }))]))
      .toEqual([['volume-removal', 'KafkaNodePool/p', 'volume 0 (1Gi)', 'volume 0 gone (volumes now: 1)']]);
    expect(unsafe([pool(jbod({ id: 2, size: '1Gi' }))], [pool(jbod())])).toEqual([['volume-removal', 'KafkaNodePool/p', 'volume 2 (1Gi)', 'volume 2 gone (volumes now: none)']]);
    expect(unsafe([pool(jbod({ size: '1Gi' }))], [pool(jbod({ id: 0, size: '1Gi' }))])).toEqual([]);
  });

  test('an equal size is safe; a storage class set, changed or dropped is flagged with (default)', () => {
    const volume = (extra: object) => pool(jbod({ id: 0, size: '1Gi', ...extra }));
    expect(unsafe([volume({})], [volume({ size: '1024Mi' })])).toEqual([]);
    expect(unsafe([volume({})], [volume({ class: 'fast' })])).toEqual([['storage-class-change', 'KafkaNodePool/p', 'volume 0: class (default)', 'class fast']]);
    expect(unsafe([volume({ class: 'fast' })], [volume({})])).toEqual([['storage-class-change', 'KafkaNodePool/p', 'volume 0: class fast', 'class (default)']]);
    expect(unsafe([volume({ class: 'fast' })], [volume({ class: 'fast' })])).toEqual([]);
  });

  test('a size that disappears is unreadable, shown as (none)', () => {
    expect(unsafe([pool({ storage: { type: 'persistent-claim', size: '1Gi' } })], [pool({ storage: { type: 'persistent-claim' } })]))
      .toEqual([['unreadable-value', 'KafkaNodePool/p', 'volume 0: size "1Gi"', 'size (none) (not both Kubernetes quantities)']]);
  });

  test('replicas: fewer is flagged, as many or more is not', () => {
    expect(unsafe([pool({ replicas: 3 })], [pool({ replicas: 2 })])).toEqual([['replica-decrease', 'KafkaNodePool/p', '3 replicas', '2 replicas']]);
    expect(unsafe([pool({ replicas: 3 })], [pool({ replicas: 3 })])).toEqual([]);
    expect(unsafe([pool({ replicas: 3 })], [pool({ replicas: 4 })])).toEqual([]);
  });

  test('partitions: fewer is flagged, as many is not; the topic is named by topicName', () => {
    const topic = (partitions: number, topicName?: string) => at('0006-t.yaml', { kind: 'KafkaTopic', metadata: { name: 't' }, spec: { partitions, topicName } });
    expect(unsafe([topic(3)], [topic(3)])).toEqual([]);
    expect(unsafe([topic(3)], [topic(2)])).toEqual([['partition-decrease', 'KafkaTopic/t', '3 partitions', '2 partitions']]);
    expect(unsafe([topic(3, 'a.b')], [])).toEqual([['topic-removal', 'KafkaTopic/t', 'topic a.b', 'removed']]);
    expect(unsafe([topic(3)], [])).toEqual([['topic-removal', 'KafkaTopic/t', 'topic t', 'removed']]);
  });

  test('removing any other kind of object is not unsafe', () => {
    expect(unsafe([at('0006-s.yaml', { kind: 'Deployment', metadata: { name: 'd' } })], [])).toEqual([]);
  });

  test('deleteClaim is flagged for every volume of a new or kept pool, by id', () => {
    expect(unsafe([], [pool(jbod({ id: 1, size: '1Gi', deleteClaim: true }, { id: 2, size: '1Gi', deleteClaim: false }))]))
      .toEqual([['delete-claim', 'KafkaNodePool/p', 'volume 1', 'deleteClaim: true']]);
    expect(unsafe([], [pool({ storage: { type: 'persistent-claim', size: '1Gi', deleteClaim: true } })])).toEqual([['delete-claim', 'KafkaNodePool/p', 'volume 0', 'deleteClaim: true']]);
    expect(unsafe([], [at('0006-x.yaml', { kind: 'Kafka', metadata: { name: 'k' }, spec: { storage: { type: 'jbod', volumes: [{ deleteClaim: true }] } } })])).toEqual([]);
  });

  test('a Kafka version that is unchanged, or unreadable', () => {
    expect(unsafe([kafka({ version: '4.1' })], [kafka({ version: '4.1' })])).toEqual([]);
    expect(unsafe([kafka({ version: '4.1.0' })], [kafka({})])).toEqual([['unreadable-value', 'Kafka/k', 'Kafka "4.1.0"', 'Kafka (none) (not both x.y.z versions)']]);
    expect(unsafe([kafka({ version: '4.1.0' })], [])).toEqual([['cluster-removal', 'Kafka/k', 'cluster k', 'removed']]);
  });

  const listener = (type: string, brokers: object[]) => ({ name: 'external', port: 9094, type, configuration: { brokers } });

  test('brokers of internal listeners are not published addresses', () => {
    expect(unsafe([kafka({ listeners: [listener('internal', [{ broker: 0, advertisedHost: 'a' }])] })], [kafka({ listeners: [] })])).toEqual([]);
    // A whole external listener gone is the full restart's switch, said once (external-listener-removal).
    expect(unsafe([kafka({ listeners: [listener('loadbalancer', [{ broker: 0, advertisedHost: 'a' }])] })], [kafka({ listeners: [] })]))
      .toEqual([['external-listener-removal', 'Kafka/k', 'listener external:9094 (loadbalancer, 1 brokers)', 'taken out']]);
  });

  test('a load balancer IP set by field or annotation; a node port or none', () => {
    const lb = (b: object) => kafka({ listeners: [listener('loadbalancer', [{ broker: 0, advertisedHost: 'h', ...b }])] });
    expect(unsafe([lb({ loadBalancerIP: '10.0.0.1' })], [lb({ annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.1' } })])).toEqual([]);
    expect(unsafe([lb({ loadBalancerIP: '10.0.0.1' })], [lb({ loadBalancerIP: '10.0.0.2' })]))
      .toEqual([['broker-identity-change', 'Kafka/k', 'broker 0 h 10.0.0.1', 'broker 0 h 10.0.0.2']]);
    const np = (b: object) => kafka({ listeners: [listener('nodeport', [{ broker: 0, advertisedHost: 'h', ...b }])] });
    expect(unsafe([np({})], [np({ nodePort: 31000 })])).toEqual([['broker-identity-change', 'Kafka/k', 'broker 0 h ?', 'broker 0 h port 31000']]);
    expect(unsafe([np({ nodePort: 31000 })], [np({ nodePort: 31000, loadBalancerIP: '10.0.0.9' })])).toEqual([]);
  });

  test('a broker moved to a new id is recognised by its IP; a kept id is not a move', () => {
    const lb = (...brokers: object[]) => kafka({ listeners: [listener('loadbalancer', brokers)] });
    expect(unsafe([lb({ broker: 0, advertisedHost: 'a', loadBalancerIP: '1' })], [lb({ broker: 7, advertisedHost: 'b', loadBalancerIP: '1' })]))
      .toEqual([['broker-identity-change', 'Kafka/k', 'broker 0 a 1', 'broker 7 b 1']]);
    expect(unsafe([lb({ broker: 0, advertisedHost: 'a', loadBalancerIP: '1' }, { broker: 1, advertisedHost: 'b', loadBalancerIP: '2' })],
      [lb({ broker: 1, advertisedHost: 'b', loadBalancerIP: '2' })]))
      .toEqual([['broker-identity-change', 'Kafka/k', 'broker 0 a 1', 'no longer published']]);
  });
});

describe('formatPlan', () => {
  test('stages, field changes, unsafe changes and the summary', () => {
    const plan = {
      changes: [
        { action: 'added' as const, object: 'ConfigMap/a', stage: 1, fields: [] },
        { action: 'changed' as const, object: 'ConfigMap/b', stage: 1, fields: [{ path: 'data.v', before: '1', after: undefined }] },
        { action: 'removed' as const, object: 'KafkaUser/u', stage: 6, fields: [] },
      ],
      unsafe: [
        { rule: 'user-removal' as const, object: 'KafkaUser/u', before: 'user u', after: 'removed', procedure: 'P1', allowed: false },
        { rule: 'user-removal' as const, object: 'KafkaUser/v', before: 'user v', after: 'removed', procedure: 'P1', allowed: false },
        { rule: 'topic-removal' as const, object: 'KafkaTopic/t', before: 'topic t', after: 'removed', procedure: 'P2', allowed: true },
      ],
    };
    expect(formatPlan('env', plan)).toBe([
      'stage 1:', '  + ConfigMap/a', '  ~ ConfigMap/b', '      data.v: "1" -> (none)', 'stage 6:', '  - KafkaUser/u', '',
      'unsafe changes:', '  UNSAFE [user-removal] KafkaUser/u: user u -> removed', '      P1', '  UNSAFE [user-removal] KafkaUser/v: user v -> removed', '      P1',
      '  allowed [topic-removal] KafkaTopic/t: topic t -> removed', '      P2', '',
      'env: 1 added, 1 changed, 1 removed; 3 unsafe (1 allowed); refused: allow with --allow user-removal after following the procedure', '',
    ].join('\n'));
  });

  test('no changes, stage 0, and nothing refused', () => {
    expect(formatPlan('env', { changes: [], unsafe: [] })).toBe('no changes\n\nenv: 0 added, 0 changed, 0 removed; 0 unsafe (0 allowed)\n');
    expect(formatPlan('env', { changes: [{ action: 'added', object: 'X/x', stage: 0, fields: [] }], unsafe: [] }))
      .toBe('stage 0:\n  + X/x\n\nenv: 1 added, 0 changed, 0 removed; 0 unsafe (0 allowed)\n');
  });
});

describe('fieldChanges: paths and alignment', () => {
  test('nested objects join paths with dots; a key only in the new object is an addition', () => {
    expect(fieldChanges({ a: { b: 1 } }, { a: { b: 2, c: 3 } })).toEqual([{ path: 'a.b', before: 1, after: 2 }, { path: 'a.c', before: undefined, after: 3 }]);
    expect(fieldChanges(1, 2)).toEqual([{ path: '', before: 1, after: 2 }]);
    expect(fieldChanges({ a: [1] }, { a: { 0: 1 } })).toEqual([{ path: 'a', before: [1], after: { 0: 1 } }]);
  });

  test('indexes count from the start of each list after earlier removals and additions', () => {
    expect(fieldChanges(['a', 'b', 'c', 'd'], ['b', 'c', 'x', 'y', 'd'])).toEqual([{ path: '[0]', before: 'a' }, { path: '[2]', after: 'x' }, { path: '[3]', after: 'y' }]);
    expect(fieldChanges(['a', 'b', 'c'], ['x', 'y', 'c'])).toEqual([{ path: '[0]', before: 'a', after: 'x' }, { path: '[1]', before: 'b', after: 'y' }]);
    expect(fieldChanges(['k', 'a', 'b', 'm', 'c'], ['k', 'x', 'm', 'y', 'z'])).toEqual([
      { path: '[1]', before: 'a' }, { path: '[2]', before: 'b' }, { path: '[1]', after: 'x' }, { path: '[4]', before: 'c' }, { path: '[3]', after: 'y' }, { path: '[4]', after: 'z' },
    ]);
  });
});

describe('every unsafe change carries its procedure', () => {
  test('each rule says why and what to do, in a sentence of its own', () => {
    const texts = Object.values(PLAN_RULES);
    expect(texts.filter((t) => t.length < 40)).toEqual([]);
    expect(new Set(texts).size).toBe(texts.length);
  });

  test('a finding carries the procedure of its rule, allowed only when that rule is allowed', () => {
    const pool = (replicas: number, ids: string, volumes: object[]) => ({ file: '0002-p.yaml', object: { kind: 'KafkaNodePool', metadata: { name: 'p', annotations: { 'strimzi.io/next-node-ids': ids } }, spec: { replicas, storage: { type: 'jbod', volumes } } } });
    const plan = planChanges([pool(2, '[1,2]', [{ id: 0, size: '1Gi' }, { id: 1, size: 'x' }])], [pool(1, '[1]', [{ id: 1, size: '1Gi' }])], ['replica-decrease']);
    expect(plan.unsafe.map((u) => [u.rule, u.procedure, u.allowed])).toEqual([
      ['volume-removal', PLAN_RULES['volume-removal'], false],
      ['unreadable-value', PLAN_RULES['unreadable-value'], false],
      ['replica-decrease', PLAN_RULES['replica-decrease'], true],
      ['node-removal', PLAN_RULES['node-removal'], false],
    ]);
  });
});

describe('plan on incomplete objects (an old output may be anything) and at the edges', () => {
  const at = (file: string, object: Record<string, any>): LocatedObject => ({ file, object });
  const unsafe = (before: LocatedObject[], after: LocatedObject[]) => planChanges(before, after).unsafe.map((u) => [u.rule, u.object, u.before, u.after]);

  test('objects without spec or metadata annotations are compared without a crash', () => {
    const bare = (kind: string) => at('0003-x.yaml', { kind, metadata: { name: 'x' } });
    const kinds = ['KafkaTopic', 'KafkaNodePool', 'Kafka', 'KafkaUser'];
    expect(unsafe(kinds.map(bare), kinds.map(bare))).toEqual([
      ['unreadable-value', 'KafkaNodePool/x', 'volume 0: size (none)', 'size (none) (not both Kubernetes quantities)'],
    ]);
    const topic = at('0006-t.yaml', { kind: 'KafkaTopic', metadata: { name: 't' }, spec: { partitions: 3 } });
    const bareTopic = at('0006-t.yaml', { kind: 'KafkaTopic', metadata: { name: 't' } });
    expect(unsafe([topic], [bareTopic])).toEqual([]);
    expect(unsafe([bareTopic], [topic])).toEqual([]);
    expect(unsafe([bareTopic], [])).toEqual([['topic-removal', 'KafkaTopic/t', 'topic t', 'removed']]);
    const pool = at('0002-p.yaml', { kind: 'KafkaNodePool', metadata: { name: 'x' }, spec: { replicas: 2, storage: { type: 'persistent-claim', size: '1Gi' } } });
    expect(unsafe([pool], [at('0002-p.yaml', { kind: 'KafkaNodePool', metadata: { name: 'x' }, spec: { storage: { type: 'persistent-claim', size: '1Gi' } } })])).toEqual([]);
    expect(unsafe([at('0002-p.yaml', { kind: 'KafkaNodePool', metadata: { name: 'x' }, spec: { storage: { type: 'jbod' } } })], [at('0002-p.yaml', { kind: 'KafkaNodePool', metadata: { name: 'x' }, spec: { storage: { type: 'jbod' } } })])).toEqual([]);
    expect(unsafe([at('0002-p.yaml', { kind: 'KafkaNodePool' })], [])).toEqual([['node-removal', 'KafkaNodePool/undefined', 'node ids ', 'pool removed']]);
    const kafka = (spec: object) => at('0003-k.yaml', { kind: 'Kafka', metadata: { name: 'k' }, spec });
    expect(unsafe([kafka({})], [kafka({ kafka: {} })])).toEqual([]);
    expect(unsafe([kafka({ kafka: { listeners: [{ type: 'loadbalancer', name: 'e' }] } })], [kafka({})]))
      .toEqual([['external-listener-removal', 'Kafka/k', 'listener e:undefined (loadbalancer, 0 brokers)', 'taken out']]);
    expect(unsafe([kafka({ kafka: { listeners: [{ type: 'loadbalancer', name: 'e', configuration: { brokers: [{ broker: 0, loadBalancerIP: '1' }] } }] } })], [kafka({})]))
      .toEqual([['external-listener-removal', 'Kafka/k', 'listener e:undefined (loadbalancer, 1 brokers)', 'taken out']]);
  });

  test('only a topic is checked for partitions, only a Kafka for its version and its external listener', () => {
    const other = (spec: object) => at('0006-o.yaml', { kind: 'KafkaConnect', metadata: { name: 'o' }, spec });
    expect(unsafe([other({ partitions: 3, kafka: { version: '4.1.0' } })], [other({ partitions: 2, kafka: { version: '4.0.0' } })])).toEqual([]);
    expect(unsafe([other({ kafka: { listeners: [{ type: 'loadbalancer', name: 'e', port: 9094 }] } })], [other({ kafka: { listeners: [] } })])).toEqual([]);
  });

  test('an external listener without broker settings publishes no broker: adding them changes no identity', () => {
    const kafka = (configuration?: object) => at('0003-k.yaml', { kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: { listeners: [{ name: 'e', type: 'loadbalancer', configuration }] } } });
    expect(unsafe([kafka()], [kafka({ brokers: [{ broker: 0, loadBalancerIP: '1' }] })])).toEqual([]);
    expect(unsafe([kafka({})], [kafka({ brokers: [{ broker: 0, loadBalancerIP: '1' }] })])).toEqual([]);
  });

  test('a Kafka whose old output had no spec, or no kafka section, gains its listener without a finding', () => {
    const listener = { name: 'e', type: 'loadbalancer', configuration: { brokers: [{ broker: 0, loadBalancerIP: '1' }] } };
    const kafka = (spec?: object) => at('0003-k.yaml', { kind: 'Kafka', metadata: { name: 'k' }, spec });
    expect(unsafe([kafka()], [kafka({ kafka: { listeners: [listener] } })])).toEqual([]);
    expect(unsafe([kafka({})], [kafka({ kafka: { listeners: [listener] } })])).toEqual([]);
  });

  test('only the external listener publishes brokers: an internal listener\'s broker settings are not identities', () => {
    const kafka = (host: string) => at('0003-k.yaml', { kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: { listeners: [
      { name: 'e', type: 'loadbalancer', configuration: { brokers: [{ broker: 0, advertisedHost: 'h', loadBalancerIP: '1' }] } },
      { name: 'tls', type: 'internal', configuration: { brokers: [{ broker: 0, advertisedHost: host }] } },
    ] } } });
    expect(unsafe([kafka('a')], [kafka('b')])).toEqual([]);
  });

  test('a broker without an advertised host is shown with ? for it', () => {
    const kafka = (ip: string) => at('0003-k.yaml', { kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: { listeners: [{ name: 'e', type: 'loadbalancer', configuration: { brokers: [{ broker: 0, loadBalancerIP: ip }] } }] } } });
    expect(unsafe([kafka('1')], [kafka('2')])).toEqual([['broker-identity-change', 'Kafka/k', 'broker 0 ? 1', 'broker 0 ? 2']]);
  });

  test('a value in a finding is JSON, (none) when absent, and cut to 80 characters', () => {
    const config = (value?: string) => at('0006-c.yaml', { kind: 'ConfigMap', metadata: { name: 'c' }, immutable: true, data: value === undefined ? {} : { a: value } });
    expect(unsafe([config()], [config('x')])).toEqual([['immutable-field-change', 'ConfigMap/c', 'data.a: (none)', '"x"']]);
    const long = 'y'.repeat(100);
    expect(unsafe([config('x')], [config(long)])).toEqual([['immutable-field-change', 'ConfigMap/c', 'data.a: "x"', `"${'y'.repeat(76)}...`]]);
    const exact = 'z'.repeat(78);
    expect(unsafe([config('x')], [config(exact)])).toEqual([['immutable-field-change', 'ConfigMap/c', 'data.a: "x"', `"${exact}"`]]);
  });

  test('several volumes left, and several node ids gone, are listed with commas', () => {
    const pool = (ids: string, ...volumes: number[]) => at('0002-p.yaml', { kind: 'KafkaNodePool', metadata: { name: 'p', annotations: { 'strimzi.io/next-node-ids': ids } },
      spec: { storage: { type: 'jbod', volumes: volumes.map((id) => ({ id, size: '1Gi' })) } } });
    expect(unsafe([pool('[1,2,3]', 0, 1, 2)], [pool('[1]', 1, 2)])).toEqual([
      ['volume-removal', 'KafkaNodePool/p', 'volume 0 (1Gi)', 'volume 0 gone (volumes now: 1, 2)'],
      ['node-removal', 'KafkaNodePool/p', 'node ids 1, 2, 3', 'node ids 1 (2, 3 removed; first list 2, 3 in brokers.removing and keep them in nodeIds)'],
    ]);
  });

  test('a version spelled differently but equal is no downgrade', () => {
    const kafka = (version: string) => at('0003-k.yaml', { kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: { version } } });
    expect(unsafe([kafka('4.1.0')], [kafka('v4.1.0')])).toEqual([]);
  });

  test('a removed broker is matched to a new id by host or by IP, never to an id that existed before', () => {
    const lb = (...brokers: object[]) => at('0003-k.yaml', { kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: { listeners: [{ name: 'e', type: 'loadbalancer', configuration: { brokers } }] } } });
    const b = (broker: number, advertisedHost: string, loadBalancerIP: string) => ({ broker, advertisedHost, loadBalancerIP });
    expect(unsafe([lb(b(0, 'a', '1'))], [lb(b(5, 'a', '9'))])).toEqual([['broker-identity-change', 'Kafka/k', 'broker 0 a 1', 'broker 5 a 9']]);
    expect(unsafe([lb(b(0, 'a', '1'))], [lb(b(5, 'z', '1'))])).toEqual([['broker-identity-change', 'Kafka/k', 'broker 0 a 1', 'broker 5 z 1']]);
    expect(unsafe([lb(b(0, 'a', '1'))], [lb(b(5, 'z', '9'))])).toEqual([['broker-identity-change', 'Kafka/k', 'broker 0 a 1', 'no longer published']]);
    expect(unsafe([lb(b(0, 'a', '1'), b(1, 'b', '2'))], [lb(b(1, 'a', '1'))])).toEqual([
      ['broker-identity-change', 'Kafka/k', 'broker 0 a 1', 'no longer published'],
      ['broker-identity-change', 'Kafka/k', 'broker 1 b 2', 'broker 1 a 1'],
    ].sort((x, y) => (x[2] < y[2] ? -1 : 1)));
  });
});

describe('fieldChanges and formatPlan at the edges', () => {
  test('null is a value, not an object', () => {
    expect(fieldChanges({ a: null }, { a: { b: 1 } })).toEqual([{ path: 'a', before: null, after: { b: 1 } }]);
  });

  test('list elements are compared by value, not identity', () => {
    expect(fieldChanges({ l: [{ a: 1 }, { b: 2 }] }, { l: [{ a: 1 }] })).toEqual([{ path: 'l[1]', before: { b: 2 } }]);
  });

  test('after an element replaced in place, later indexes still count from the start', () => {
    expect(fieldChanges(['a', 'b', 'c', 'd'], ['x', 'b', 'c'])).toEqual([{ path: '[0]', before: 'a', after: 'x' }, { path: '[3]', before: 'd' }]);
    expect(fieldChanges(['a', 'b', 'c'], ['x', 'b', 'c', 'y'])).toEqual([{ path: '[0]', before: 'a', after: 'x' }, { path: '[3]', after: 'y' }]);
  });

  test('an object without metadata in a file without prefix is stage 0', () => {
    expect(planChanges([], [{ file: 'y.yaml', object: { kind: 'X' } }]).changes).toEqual([{ action: 'added', object: 'X/undefined', stage: 0, fields: [] }]);
  });

  test('several refused rules are each named once', () => {
    const u = (rule: PlanRule, object: string) => ({ rule, object, before: 'b', after: 'a', procedure: 'P', allowed: false });
    expect(formatPlan('env', { changes: [], unsafe: [u('user-removal', 'KafkaUser/a'), u('topic-removal', 'KafkaTopic/t'), u('user-removal', 'KafkaUser/b')] }).trimEnd().split('\n').pop())
      .toBe('env: 0 added, 0 changed, 0 removed; 3 unsafe (0 allowed); refused: allow with --allow user-removal --allow topic-removal after following the procedure');
  });
});
