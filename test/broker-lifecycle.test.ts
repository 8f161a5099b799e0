/**
 * Brokers added, moved and removed the way Strimzi does it: `strimzi.io/next-node-ids` for additions,
 * `strimzi.io/remove-node-ids` for removals (without it Strimzi removes the highest ids), pinned addresses
 * kept while a broker runs, and plan refusing a removal unless it is the second of its two changes.
 */
import { checkNodeIds, checkStaticIps } from '../constructs/rules';
import { environments } from '../lib/environments';
import { formatPlan, planChanges, synthesizedObjects } from '../lib/plan';
import { findObject, withChanges } from './helpers';

const prod = environments['usdfprod-prompt-processing'];
const listener = prod.externalListener as any;
const brokersWithout = (id: number) => listener.brokers.filter((b: any) => b.nodeId !== id);
const pool = (env: typeof prod) => findObject(env, 'KafkaNodePool', 'kafka');
const kafkaBrokers = (env: typeof prod) => findObject(env, 'Kafka', 'sasquatch').spec.kafka.listeners[2].configuration.brokers.map((b: any) => b.broker);
const unsafe = (a: typeof prod, b: typeof prod) => planChanges(synthesizedObjects(a), synthesizedObjects(b)).unsafe.map((u) => [u.rule, u.object, u.after]);

// The three changes of "Remove a broker" (broker 7 of 5..9).
const step1 = withChanges(prod, { brokers: { removing: [7] } });
const step2 = withChanges(step1, { brokers: { nodeIds: [5, 6, 8, 9] } });
const step3 = withChanges(step2, { brokers: { removing: [] }, externalListener: { brokers: brokersWithout(7) } });

describe('removing broker 7 of [5, 6, 7, 8, 9]', () => {
  test("dropping it alone is refused, naming the first step (Strimzi would remove 9, and 7's address would vanish while it runs)", () => {
    const dropped = withChanges(prod, { brokers: { nodeIds: [5, 6, 8, 9] }, externalListener: { brokers: brokersWithout(7) } });
    const found = unsafe(prod, dropped);
    expect(found).toEqual(expect.arrayContaining([
      ['node-removal', 'KafkaNodePool/kafka', 'node ids 5, 6, 8, 9 (7 removed; first list 7 in brokers.removing and keep them in nodeIds)'],
      ['replica-decrease', 'KafkaNodePool/kafka', '4 replicas'],
      ['broker-identity-change', 'Kafka/sasquatch', 'no longer published'],
    ]));
    expect(formatPlan(prod.name, planChanges(synthesizedObjects(prod), synthesizedObjects(dropped)))).toContain('two changes (docs/operations.md, "Remove a broker")');
  });

  test('the environment rules keep the address of a broker being removed', () => {
    const droppedAddress = withChanges(step2, { externalListener: { brokers: brokersWithout(7) } });
    expect(checkStaticIps(droppedAddress).map((p) => p.message)).toEqual([expect.stringMatching(/^broker 7 has no pinned load-balancer IP and host/)]);
    const droppedWithoutDeclaring = withChanges(prod, { brokers: { nodeIds: [5, 6, 8, 9] } });
    expect(checkStaticIps(droppedWithoutDeclaring).map((p) => p.message)).toEqual([expect.stringContaining('list it in brokers.removing instead')]);
  });

  test('step 1 declares the removal: remove-node-ids [7], nothing scales, nothing unsafe', () => {
    expect(pool(step1).metadata.annotations).toEqual(expect.objectContaining({ 'strimzi.io/next-node-ids': '[5,6,7,8,9]', 'strimzi.io/remove-node-ids': '[7]' }));
    expect(pool(step1).spec.replicas).toBe(5);
    expect(unsafe(prod, step1)).toEqual([]);
  });

  test('step 2 scales down: 4 replicas, Strimzi removes exactly 7, its address stays; plan takes it as the second step', () => {
    expect(pool(step2).spec.replicas).toBe(4);
    expect(pool(step2).metadata.annotations).toEqual(expect.objectContaining({ 'strimzi.io/next-node-ids': '[5,6,8,9]', 'strimzi.io/remove-node-ids': '[7]' }));
    expect(kafkaBrokers(step2)).toEqual([5, 6, 7, 8, 9]);
    expect(unsafe(step1, step2)).toEqual([]);
  });

  test('step 3 tidies up: the annotation and the address go, and dropping the address of a removed broker is safe', () => {
    expect(pool(step3).metadata.annotations).not.toHaveProperty('strimzi.io/remove-node-ids');
    expect(kafkaBrokers(step3)).toEqual([5, 6, 8, 9]);
    expect(unsafe(step2, step3)).toEqual([]);
  });

  test('steps taken out of order are refused: step 2 without step 1, or step 3 before step 2', () => {
    expect(unsafe(prod, step2).map((u) => u[0])).toEqual(expect.arrayContaining(['node-removal', 'replica-decrease']));
    const early = withChanges(step1, { brokers: { removing: [] }, externalListener: { brokers: brokersWithout(7) } });
    expect(() => synthesizedObjects(early)).toThrow(/broker 7 is not a node of the broker pool|has no pinned/);
  });

  test('a second step that also removes an undeclared broker is refused for that one', () => {
    const more = withChanges(step1, { brokers: { nodeIds: [5, 6, 8] }, externalListener: { brokers: brokersWithout(9) } });
    expect(unsafe(step1, more).map((u) => u[0])).toEqual(expect.arrayContaining(['node-removal']));
  });
});

describe('adding and moving brokers', () => {
  const added = withChanges(prod, {
    brokers: { nodeIds: [5, 6, 7, 8, 9, 10] },
    externalListener: { brokers: [...listener.brokers, { nodeId: 10, host: 'rubin-alert-stream-broker-10.slac.stanford.edu', ip: '134.79.23.216' }] },
  });

  test('adding broker 10: next-node-ids names it, one more replica, nothing unsafe', () => {
    expect(pool(added).metadata.annotations['strimzi.io/next-node-ids']).toBe('[5,6,7,8,9,10]');
    expect(pool(added).spec.replicas).toBe(6);
    expect(unsafe(prod, added)).toEqual([]);
  });

  test('a move in one change (9 replaced by 10, replicas unchanged) is refused: Strimzi would do nothing; add first', () => {
    const moved = withChanges(prod, { brokers: { nodeIds: [5, 6, 7, 8, 10] }, externalListener: { brokers: [...brokersWithout(9), { nodeId: 10, host: 'rubin-alert-stream-broker-10.slac.stanford.edu', ip: '134.79.23.216' }] } });
    expect(unsafe(prod, moved)).toEqual(expect.arrayContaining([
      ['node-removal', 'KafkaNodePool/kafka', 'node ids 5, 6, 7, 8, 10 (9 removed; first add 10 alone (a change that keeps 9), then remove 9 in two more changes)'],
    ]));
  });
});

describe('the rules of `removing`', () => {
  test.each([
    ['a controller id', { brokers: { removing: [0] } }, 'brokers.removing[0]', 'node id 0 is a node of the controller pool (controllers.nodeIds), not of this one'],
    ['an id twice', { brokers: { removing: [7, 7] } }, 'brokers.removing[1]', 'node id 7 is listed twice'],
    ['a negative id', { brokers: { removing: [-1] } }, 'brokers.removing[0]', 'node id -1 is not a non-negative integer'],
  ])('%s is refused', (_what, change, field, message) => {
    expect(checkNodeIds(withChanges(prod, change as any))).toEqual([{ env: prod.name, resource: 'KafkaNodePool/kafka', field, message }]);
  });

  test('controllers being removed are declared the same way, but their removal stays UNSAFE: they leave the KRaft quorum', () => {
    const env = withChanges(prod, { controllers: { removing: [4] } });
    expect(findObject(env, 'KafkaNodePool', 'controller').metadata.annotations['strimzi.io/remove-node-ids']).toBe('[4]');
    const dropped = withChanges(env, { controllers: { nodeIds: [0, 1, 2, 3] } });
    expect(unsafe(env, dropped)).toEqual(expect.arrayContaining([
      ['node-removal', 'KafkaNodePool/controller', "node ids 0, 1, 2, 3 (4 removed; a controller leaves the KRaft quorum: follow Strimzi's procedure for scaling down controllers, then allow node-removal)"],
    ]));
  });
});

describe('the plan rule at its edges (objects as an old output may have them)', () => {
  const poolObject = (ids: unknown, remove: unknown, replicas: number, roles = ['broker']) => ({
    file: '0002-broker-pool.k8s.yaml',
    object: {
      apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaNodePool', metadata: { name: 'kafka', annotations: {
        'strimzi.io/next-node-ids': JSON.stringify(ids), ...(remove === undefined ? {} : { 'strimzi.io/remove-node-ids': JSON.stringify(remove) }),
      } },
      spec: { replicas, roles, storage: { type: 'jbod', volumes: [] } },
    },
  });
  const rules = (a: ReturnType<typeof poolObject>, b: ReturnType<typeof poolObject>) => planChanges([a], [b]).unsafe.map((u) => u.rule);

  test('a second step that also adds an id is no second step: a move is refused', () => {
    expect(rules(poolObject([5, 6, 7, 8, 9], [7], 5), poolObject([5, 6, 8, 9, 10], [7], 5))).toEqual(['node-removal']);
  });

  test('a move of several ids names them all, and the order of the changes', () => {
    const found = planChanges([poolObject([5, 6, 7, 8, 9], undefined, 5)], [poolObject([5, 6, 7, 10, 11], undefined, 5)]).unsafe;
    expect(found.map((u) => u.after)).toEqual(['node ids 5, 6, 7, 10, 11 (8, 9 removed; first add 10, 11 alone (a change that keeps 8, 9), then remove 8, 9 in two more changes)']);
  });

  test('a new pool without spec (as an old output may be) is refused without failing', () => {
    const after = poolObject([5], undefined, 1);
    delete (after.object as any).spec;
    expect(rules(poolObject([5, 6], undefined, 2), after)).toEqual(expect.arrayContaining(['node-removal']));
  });

  test('a second step whose replicas fall by more than the ids removed is refused for the extra ones', () => {
    expect(rules(poolObject([5, 6, 7, 8, 9], [7], 5), poolObject([5, 6, 8, 9], [7], 3))).toEqual(['replica-decrease']);
    expect(rules(poolObject([5, 6, 7, 8, 9], [7], 5), poolObject([5, 6, 8, 9], [7], 4))).toEqual([]);
  });

  test('an old pool without spec: a declared removal is still compared, without failing', () => {
    const old = poolObject([5, 6, 7], [7], 3);
    delete (old.object as any).spec;
    expect(rules(old, poolObject([5, 6], [7], 2)).filter((r) => r === 'node-removal' || r === 'replica-decrease')).toEqual([]);
  });

  test('ids that are not numbers, or an annotation that is not a list, name no node', () => {
    expect(rules(poolObject([5, 'x'], undefined, 1), poolObject([5], undefined, 1))).toEqual([]);
    expect(rules(poolObject('not a list', undefined, 1), poolObject([], undefined, 1))).toEqual([]);
  });

  test('a pool without roles is not a broker pool: its removal stays UNSAFE', () => {
    expect(rules(poolObject([1, 2], [2], 2, null as any), poolObject([1], [2], 1, null as any))).toEqual(expect.arrayContaining(['node-removal']));
  });
});

describe('pinned addresses while brokers are removed', () => {
  test('an entry for no pool names the brokers being removed too', () => {
    const env = withChanges(prod, { brokers: { removing: [7, 8] }, externalListener: { brokers: [...listener.brokers, { nodeId: 42, host: 'b42.example.org', ip: '134.79.23.242' }] } });
    expect(checkStaticIps(env).map((p) => p.message)).toEqual([
      'broker 42 is not a node of the broker pool (brokers.nodeIds: [5, 6, 7, 8, 9], removing: [7, 8]); remove the entry or fix its nodeId; while broker 42 is being removed, list it in brokers.removing instead (its address stays until Strimzi removed it)',
    ]);
  });

  test('a broker both in its pool and listed for removal is asked for its address once', () => {
    const dropped = withChanges(step1, { externalListener: { brokers: brokersWithout(7) } });
    expect(checkStaticIps(dropped).map((p) => p.message)).toEqual([expect.stringMatching(/^broker 7 has no pinned load-balancer IP and host/)]);
  });

  test('with node ports, a broker being removed keeps its pinned port, and only once', () => {
    const local = environments['local-bootstrap'];
    const nodeport = local.externalListener as any;
    const last = nodeport.brokers.at(-1).nodeId;
    const removing = withChanges(local, { brokers: { nodeIds: local.brokers.nodeIds.filter((id) => id !== last), removing: [last] } });
    expect(checkStaticIps(removing)).toEqual([]);
    const declaredTwice = withChanges(local, { brokers: { removing: [last] } });
    expect(checkStaticIps(declaredTwice)).toEqual([]);
    const declaredTwiceDropped = withChanges(declaredTwice, { externalListener: { brokers: nodeport.brokers.slice(0, -1) } });
    expect(checkStaticIps(declaredTwiceDropped)).toHaveLength(1);
    const dropped = withChanges(removing, { externalListener: { brokers: nodeport.brokers.slice(0, -1) } });
    expect(checkStaticIps(dropped).map((p) => p.message)).toEqual([expect.stringContaining(`broker ${last}`)]);
  });
});

describe('which brokers count as removed when their address goes', () => {
  const kafka = (brokers: number[]) => ({
    file: '0003-kafka.k8s.yaml',
    object: { apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: { listeners: [{ name: 'external', port: 9094, type: 'loadbalancer', configuration: {
      bootstrap: { alternativeNames: ['b.example.org'], annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.1' } },
      brokers: brokers.map((id) => ({ broker: id, advertisedHost: `b${id}.example.org`, annotations: { 'metallb.io/loadBalancerIPs': `10.0.0.${id + 10}` } })),
    } }] } } },
  });
  const annotated = (kind: string, ids: number[], remove: number[]) => ({
    file: '0002-broker-pool.k8s.yaml',
    object: { apiVersion: 'kafka.strimzi.io/v1', kind, metadata: { name: 'kafka', annotations: { 'strimzi.io/next-node-ids': JSON.stringify(ids), 'strimzi.io/remove-node-ids': JSON.stringify(remove) } }, spec: { replicas: ids.length, roles: ['broker'], storage: { type: 'jbod', volumes: [] } } },
  });
  const identity = (before: unknown[], after: unknown[]) => planChanges(before as any, after as any).unsafe.filter((u) => u.rule === 'broker-identity-change').map((u) => u.before);

  test('a broker listed for removal but still in its pool keeps running: dropping its address is UNSAFE', () => {
    const pool = annotated('KafkaNodePool', [5, 6, 7], [7]);
    expect(identity([pool, kafka([5, 6, 7])], [pool, kafka([5, 6])])).toEqual(['broker 7 b7.example.org 10.0.0.17']);
  });

  test('a broker out of its pool and listed for removal is gone: releasing its address is safe', () => {
    const pool = annotated('KafkaNodePool', [5, 6], [7]);
    expect(identity([pool, kafka([5, 6, 7])], [pool, kafka([5, 6])])).toEqual([]);
  });

  test('only a KafkaNodePool says so: the same annotations on another kind retire nothing', () => {
    const pool = annotated('KafkaNodePool', [5, 6], []);
    const other = { ...annotated('ConfigMap', [5, 6], [7]), file: 'x.yaml' };
    other.object.metadata.name = 'other';
    expect(identity([pool, other, kafka([5, 6, 7])], [pool, other, kafka([5, 6])])).toEqual(['broker 7 b7.example.org 10.0.0.17']);
  });
});
