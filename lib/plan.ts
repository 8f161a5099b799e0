import { diffArrays } from 'diff';
import type { Environment } from '../constructs/alert-stream-props';
import { bootstrapAddressChange, externalListener, externalListenerRemoval, LISTENER_RULES } from './plan-listener';
import { REGISTRY_RULES, registrySpecChange } from './plan-registry';
import { immutableFieldChanges } from './immutable-fields';
import { compareQuantities, compareVersions } from './quantity';
import { synthesizeEnvironment } from './synthesize';
import type { LocatedObject } from './manifests';

/** The classes of change that lose data or break clients; each can be allowed by name. */
export const PLAN_RULES = {
  'storage-decrease': 'Kubernetes volumes can only grow (DMTN-214, "Resizing Kafka broker disk storage": sizes can only be increased, never decreased).',
  'storage-class-change': 'a volume cannot move to another storage class in place; new PVCs would be created on empty disks.',
  'partition-decrease': 'Kafka cannot remove partitions; the topic operator refuses the change. Create a new topic instead (DMTN-214, "Adding a new Kafka topic").',
  'topic-removal': 'pruning deletes the topic and every message in it. If it is stuck deleting, remove its finalizers (DMTN-214, "Troubleshooting").',
  'user-removal': 'pruning deletes the KafkaUser and revokes its access; delete its credentials too (DMTN-214, "Removing a user account").',
  'broker-identity-change': 'clients and TLS certificates know brokers by advertised host and IP; change DNS first and expect every client to reconnect (DMTN-214, "Changing the Kafka broker hostnames", "DNS Records").',
  'node-removal': 'removing a node id drops that broker or controller and its data, and Strimzi removes the ids of `strimzi.io/remove-node-ids` (else the highest ids, not the ones dropped). ' +
    'It is two changes (docs/operations.md, "Remove a broker"): first list the ids in the pool\'s `removing` while they stay in `nodeIds`, sync, and move their partitions away (KafkaRebalance mode remove-brokers, until Ready); ' +
    'then drop them from `nodeIds`. A move to a new id is an addition first, then such a removal.',
  'replica-decrease': 'scaling a node pool down removes nodes and their data; Strimzi removes the ids of `strimzi.io/remove-node-ids` (else the highest ids); list the ids in `removing` first (see node-removal).',
  'delete-claim': 'with deleteClaim: true, deleting the pool or cluster deletes the disks with every message.',
  'kafka-downgrade': 'Kafka versions can only be downgraded by the procedure of the Strimzi documentation ("Downgrading Kafka"), never by a plain sync (DMTN-214, "Updating the Kafka version").',
  'cluster-removal': 'deleting the Kafka resource deletes the whole cluster.',
  'volume-removal': 'a JBOD volume whose id disappears (removed, or renumbered) is dropped from every node with the data on it; move its partitions to the other volumes first (Cruise Control remove-disks) and add volumes under new ids instead of renumbering.',
  'unreadable-value': 'plan could not read a value it must compare to tell whether the change is safe (a size or a version); fix the value, or check the change by hand before allowing it.',
  ...REGISTRY_RULES,
  ...LISTENER_RULES,
  'immutable-field-change': 'the API server refuses to change this field of an existing object ("field is immutable"), so the sync fails; delete the object and let Argo CD create it anew (for a Job: make it a hook with hook-delete-policy BeforeHookCreation).',
} as const;

export type PlanRule = keyof typeof PLAN_RULES;

/** One field that differs, with its path inside the object. */
export interface FieldChange {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** One object added, changed or removed. */
export interface ObjectChange {
  readonly action: 'added' | 'changed' | 'removed';
  /** `Kind/name`. */
  readonly object: string;
  readonly stage: number;
  readonly fields: readonly FieldChange[];
}

/** A change that loses data or breaks clients. */
export interface UnsafeChange {
  readonly rule: PlanRule;
  readonly object: string;
  readonly before: string;
  readonly after: string;
  /** Why it is unsafe, and the manual's procedure to follow. */
  readonly procedure: string;
  readonly allowed: boolean;
}

export interface Plan {
  readonly changes: readonly ObjectChange[];
  readonly unsafe: readonly UnsafeChange[];
}

type Obj = Record<string, any>;

/** Stage of an object: its file's `000N-` prefix, else its sync wave. */
function stageOf({ file, object }: LocatedObject): number {
  const prefix = /(?:^|[/\\])(\d{4})-[^/\\]*$/.exec(file)?.[1];
  return prefix ? Number(prefix) : Number(object.metadata?.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
}

// Stryker disable next-line StringLiteral: any fixed text for "no namespace" keeps keys apart just the same
const NO_NAMESPACE = '';
// Declared as functions, not arrow constants: a mutant of an arrow made when the module loads is only tried against
// the tests that load it, not those that call it (docs/mutation.md, Static mutants).
function keyOf(o: Obj): string {
  return `${o.kind}/${o.metadata?.namespace ? `${o.metadata.namespace}/` : NO_NAMESPACE}${o.metadata?.name}`;
}
function label(o: Obj): string {
  return `${o.kind}/${o.metadata?.name}`;
}

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/**
 * Field-level differences. Lists are aligned (longest common subsequence), so
 * inserting an ACL shows as one added element, not as every later element
 * changed; an element replaced in place is compared field by field.
 */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((k) => !(k in before))];
    return keys.flatMap((k) => fieldChanges(before[k], after[k], join(path, k)));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const changes: FieldChange[] = [];
    const parts = diffArrays(before, after, { comparator: same });
    let [i, j] = [0, 0];
    for (let p = 0; p < parts.length; p++) {
      const part = parts[p];
      const next = parts[p + 1];
      if (part.removed && next?.added && next.count === part.count) {
        part.value.forEach((v, k) => changes.push(...fieldChanges(v, next.value[k], `${path}[${j + k}]`)));
        [i, j, p] = [i + part.count!, j + next.count!, p + 1];
      } else if (part.removed) {
        part.value.forEach((v, k) => changes.push({ path: `${path}[${i + k}]`, before: v }));
        i += part.count!;
      } else if (part.added) {
        part.value.forEach((v, k) => changes.push({ path: `${path}[${j + k}]`, after: v }));
        j += part.count!;
      } else {
        [i, j] = [i + part.count!, j + part.count!];
      }
    }
    return changes;
  }
  return same(before, after) ? [] : [{ path, before, after }];
}

/**
 * Compares two outputs of one environment: every object added, changed or
 * removed, with field-level differences, and every unsafe change. `allow`
 * names rules whose findings are accepted.
 */
// Stryker disable next-line ArrayDeclaration: no rule is named like Stryker's placeholder, so that default allows nothing either
export function planChanges(before: readonly LocatedObject[], after: readonly LocatedObject[], allow: readonly PlanRule[] = []): Plan {
  const old = new Map(before.map((l) => [keyOf(l.object), l]));
  const next = new Map(after.map((l) => [keyOf(l.object), l]));
  const changes: ObjectChange[] = [];
  for (const [key, l] of next) {
    const o = old.get(key);
    if (!o) {
      changes.push({ action: 'added', object: label(l.object), stage: stageOf(l), fields: [] });
      continue;
    }
    const fields = fieldChanges(o.object, l.object);
    if (fields.length > 0) changes.push({ action: 'changed', object: label(l.object), stage: stageOf(l), fields });
  }
  for (const [key, l] of old) {
    if (!next.has(key)) changes.push({ action: 'removed', object: label(l.object), stage: stageOf(l), fields: [] });
  }
  changes.sort((a, b) => a.stage - b.stage || a.object.localeCompare(b.object));

  const unsafe: UnsafeChange[] = [];
  const flag = (rule: PlanRule, object: Obj, beforeText: string, afterText: string) =>
    unsafe.push({ rule, object: label(object), before: beforeText, after: afterText, procedure: PLAN_RULES[rule], allowed: allow.includes(rule) });

  const retired = retiredBrokers(old.values());
  for (const [key, l] of old) {
    const o = l.object;
    const n = next.get(key)?.object;
    if (!n) {
      if (o.kind === 'KafkaTopic') flag('topic-removal', o, `topic ${o.spec?.topicName ?? o.metadata.name}`, 'removed');
      if (o.kind === 'KafkaUser') flag('user-removal', o, `user ${o.metadata.name}`, 'removed');
      if (o.kind === 'Kafka') flag('cluster-removal', o, `cluster ${o.metadata.name}`, 'removed');
      if (o.kind === 'KafkaNodePool') flag('node-removal', o, `node ids ${nodeIds(o).join(', ')}`, 'pool removed');
      continue;
    }
    if (o.kind === 'KafkaNodePool') comparePools(o, n, flag);
    if (o.kind === 'KafkaTopic') compareCounts(o, o.spec?.partitions, n.spec?.partitions, 'partitions', 'partition-decrease', flag);
    if (o.kind === 'Kafka') compareClusters(o, n, flag, retired);
    const listenerRemoval = o.kind === 'Kafka' ? externalListenerRemoval(o, n) : undefined;
    if (listenerRemoval) flag('external-listener-removal', o, listenerRemoval, 'taken out');
    const bootstrapChange = o.kind === 'Kafka' ? bootstrapAddressChange(o, n) : undefined;
    if (bootstrapChange) flag('bootstrap-address-change', o, bootstrapChange.before, bootstrapChange.after);
    const registryChange = o.kind === 'StrimziSchemaRegistry' ? registrySpecChange(o, n) : undefined;
    if (registryChange) flag('registry-recreate', o, registryChange.before, registryChange.after);
    for (const { field, changes: fields } of immutableFieldChanges(o, n, fieldChanges(o, n))) {
      const [first] = fields;
      const more = fields.length > 1 ? ` (and ${fields.length - 1} more under ${field})` : '';
      flag('immutable-field-change', o, `${first.path}: ${brief(first.before)}`, `${brief(first.after)}${more}`);
    }
  }
  for (const l of after) {
    const n = l.object;
    if (n.kind === 'KafkaNodePool') {
      for (const v of volumes(n)) if (v.deleteClaim === true) flag('delete-claim', n, `volume ${v.id ?? 0}`, 'deleteClaim: true');
    }
  }
  return { changes, unsafe };
}

/** A value as short JSON for a one-line finding. */
function brief(value: unknown): string {
  const text = value === undefined ? '(none)' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

type Flag = (rule: PlanRule, object: Obj, before: string, after: string) => void;

/**
 * A count that may only grow (partitions, replicas). Absent on either side is no finding (an old output
 * may be anything); present but not a number is one, since the decrease it may hide cannot be ruled out.
 */
function compareCounts(o: Obj, before: unknown, after: unknown, what: string, rule: PlanRule, flag: Flag): void {
  if (before === undefined || after === undefined) return;
  const [b, a] = [Number(before), Number(after)];
  if (!Number.isFinite(b) || !Number.isFinite(a)) flag('unreadable-value', o, `${what} ${show(before)}`, `${what} ${show(after)} (not both numbers)`);
  else if (a < b) flag(rule, o, `${before} ${what}`, `${after} ${what}`);
}

function volumes(pool: Obj): Obj[] {
  const storage = pool.spec?.storage ?? {};
  return storage.type === 'jbod' ? storage.volumes ?? [] : [storage];
}

function idList(pool: Obj, annotation: string): number[] {
  const ids = pool.metadata?.annotations?.[annotation];
  // No annotation (JSON.parse(undefined)), text that is not JSON, and JSON that is not a list (it has no `filter`)
  // all throw: no ids.
  try {
    return (JSON.parse(ids) as unknown[]).filter((x): x is number => typeof x === 'number');
  } catch {
    return [];
  }
}

/** The pool's node ids (`strimzi.io/next-node-ids`). */
const nodeIds = (pool: Obj) => idList(pool, 'strimzi.io/next-node-ids');
/** The ids Strimzi removes at the pool's next scale-down (`strimzi.io/remove-node-ids`). */
const removeIds = (pool: Obj) => idList(pool, 'strimzi.io/remove-node-ids');

function comparePools(o: Obj, n: Obj, flag: Flag): void {
  const newVolumes = new Map(volumes(n).map((v) => [v.id ?? 0, v]));
  const newIds = [...newVolumes.keys()].join(', ') || 'none';
  for (const v of volumes(o)) {
    const id = v.id ?? 0;
    const w = newVolumes.get(id);
    if (!w) {
      flag('volume-removal', o, `volume ${id} (${v.size})`, `volume ${id} gone (volumes now: ${newIds})`);
      continue;
    }
    const order = compareQuantities(w.size, v.size);
    if (order === undefined) flag('unreadable-value', o, `volume ${id}: size ${show(v.size)}`, `size ${show(w.size)} (not both Kubernetes quantities)`);
    else if (order < 0) flag('storage-decrease', o, `volume ${id}: ${v.size}`, `${w.size}`);
    if ((v.class ?? '') !== (w.class ?? '')) flag('storage-class-change', o, `volume ${id}: class ${v.class ?? '(default)'}`, `class ${w.class ?? '(default)'}`);
  }
  const kept = new Set(nodeIds(n));
  const gone = nodeIds(o).filter((id) => !kept.has(id));
  const added = nodeIds(n).filter((id) => !nodeIds(o).includes(id));
  // The second step of a removal: the ids dropped were already listed for removal before this change (the
  // first step, reviewed and synced), and still are, so Strimzi removes exactly them.
  const [before, after] = [new Set(removeIds(o)), new Set(removeIds(n))];
  // Only brokers: a KRaft controller leaves the metadata quorum, which no plain scale-down does safely.
  // Stryker disable next-line ArrayDeclaration: a placeholder role is not 'broker' either
  const broker = (n.spec?.roles ?? []).includes('broker');
  const secondStep = broker && added.length === 0 && gone.every((id) => before.has(id) && after.has(id));
  // Stryker disable next-line OptionalChaining: a second step is a broker pool's, read from n.spec.roles, so n.spec exists
  const declared = secondStep && Number(o.spec?.replicas) - Number(n.spec?.replicas) === gone.length;
  if (!declared) compareCounts(o, o.spec?.replicas, n.spec?.replicas, 'replicas', 'replica-decrease', flag);
  if (gone.length > 0 && !secondStep) {
    // Stryker disable next-line ArrayDeclaration: a placeholder role is not 'controller' either
    const first = (n.spec?.roles ?? []).includes('controller') ? 'a controller leaves the KRaft quorum: follow Strimzi\'s procedure for scaling down controllers, then allow node-removal'
      : added.length > 0
      ? `first add ${added.join(', ')} alone (a change that keeps ${gone.join(', ')}), then remove ${gone.join(', ')} in two more changes`
      : `first list ${gone.join(', ')} in brokers.removing and keep them in nodeIds`;
    flag('node-removal', o, `node ids ${nodeIds(o).join(', ')}`, `node ids ${nodeIds(n).join(', ')} (${gone.join(', ')} removed; ${first})`);
  }
}

/** Brokers the earlier output had already taken out of their pool (removed, and listed for removal). */
function retiredBrokers(objects: Iterable<LocatedObject>): Set<number> {
  const retired = new Set<number>();
  for (const { object } of objects) {
    if (object.kind !== 'KafkaNodePool') continue;
    const current = new Set(nodeIds(object));
    for (const id of removeIds(object)) if (!current.has(id)) retired.add(id);
  }
  return retired;
}

/** How clients reach a broker: its advertised host, and its load-balancer IP or node port. */
interface BrokerAddress { host?: string; ip?: string }

function externalBrokers(kafka: Obj): Map<number, BrokerAddress> {
  // Stryker disable next-line ArrayDeclaration: a placeholder listener has no type, so it is filtered out below
  const listeners: Obj[] = kafka.spec?.kafka?.listeners ?? [];
  const external = listeners.filter((l) => l.type === 'loadbalancer' || l.type === 'nodeport');
  return new Map(external.flatMap((l) => (l.configuration?.brokers ?? []).map((b: Obj) => [b.broker, {
    host: b.advertisedHost,
    ip: l.type === 'nodeport' ? (b.nodePort === undefined ? undefined : `port ${b.nodePort}`) : b.annotations?.['metallb.io/loadBalancerIPs'] ?? b.loadBalancerIP,
  }] as const)));
}

function compareClusters(o: Obj, n: Obj, flag: Flag, retired: ReadonlySet<number>): void {
  const [vo, vn] = [o.spec?.kafka?.version, n.spec?.kafka?.version];
  if (vo !== vn) {
    const order = compareVersions(vn, vo);
    if (order === undefined) flag('unreadable-value', o, `Kafka ${show(vo)}`, `Kafka ${show(vn)} (not both x.y.z versions)`);
    else if (order < 0) flag('kafka-downgrade', o, `Kafka ${vo}`, `Kafka ${vn}`);
  }
  if (!externalListener(n)) return; // the whole listener taken out: external-listener-removal says it once
  const before = externalBrokers(o);
  const after = externalBrokers(n);
  const describe = (id: number, a: BrokerAddress) => `broker ${id} ${a.host ?? '?'} ${a.ip ?? '?'}`;
  for (const [id, a] of before) {
    const b = after.get(id);
    if (b && (a.host !== b.host || a.ip !== b.ip)) flag('broker-identity-change', o, describe(id, a), describe(id, b));
    if (!b && retired.has(id)) continue; // the third step: the address of a broker Strimzi removed already
    if (!b) {
      const moved = [...after].find(([newId, x]) => !before.has(newId) && (x.host === a.host || x.ip === a.ip));
      flag('broker-identity-change', o, describe(id, a), moved ? describe(moved[0], moved[1]) : 'no longer published');
    }
  }
}

/**
 * The environment's objects as its files hold them, so they compare field for field with a previous output parsed
 * from its files: plain JSON data (what the YAML writer writes reads back as the same value, held by property tests
 * in test/yaml.test.ts, and test/plan.test.ts compares this with the rendered files parsed back, every environment).
 */
export function synthesizedObjects(env: Environment): LocatedObject[] {
  return synthesizeEnvironment(env).flatMap((m) => m.objects.map((object) => ({ file: m.fileName, object: JSON.parse(JSON.stringify(object)) as Record<string, any> })));
}

const show = (value: unknown) => (value === undefined ? '(none)' : JSON.stringify(value));

/** The plan as text: per stage, then the unsafe changes, then a summary line. */
export function formatPlan(env: string, plan: Plan): string {
  const lines: string[] = [];
  let stage = -1;
  for (const change of plan.changes) {
    if (change.stage !== stage) {
      stage = change.stage;
      lines.push(`stage ${stage}:`);
    }
    lines.push(`  ${{ added: '+', changed: '~', removed: '-' }[change.action]} ${change.object}`);
    for (const f of change.fields) lines.push(`      ${f.path}: ${show(f.before)} -> ${show(f.after)}`);
  }
  if (plan.changes.length === 0) lines.push('no changes');
  if (plan.unsafe.length > 0) {
    lines.push('', 'unsafe changes:');
    for (const u of plan.unsafe) {
      lines.push(`  ${u.allowed ? 'allowed' : 'UNSAFE'} [${u.rule}] ${u.object}: ${u.before} -> ${u.after}`);
      lines.push(`      ${u.procedure}`);
    }
  }
  const count = (a: string) => plan.changes.filter((c) => c.action === a).length;
  const blocked = plan.unsafe.filter((u) => !u.allowed).length;
  lines.push('', `${env}: ${count('added')} added, ${count('changed')} changed, ${count('removed')} removed; ` +
    `${plan.unsafe.length} unsafe (${plan.unsafe.length - blocked} allowed)` +
    (blocked > 0 ? `; refused: allow with ${[...new Set(plan.unsafe.filter((u) => !u.allowed).map((u) => `--allow ${u.rule}`))].join(' ')} after following the procedure` : ''));
  return `${lines.join('\n')}\n`;
}
