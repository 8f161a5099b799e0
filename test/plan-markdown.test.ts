/**
 * `plan --format markdown` on a real diff: an environment's synthesized output against the output of the same
 * environment edited (a user added, partitions grown, broker storage shrunk; storage grown and a broker added).
 */
import type { Environment } from '../constructs/alert-stream-props';
import { environments } from '../lib/environments';
import { planChanges, synthesizedObjects } from '../lib/plan';
import { EnvironmentPlan, formatPlanMarkdown, PLAN_COMMENT_MARKER, reminders } from '../lib/plan-markdown';

const prod = environments['usdfprod-prompt-processing'];
type Mutable<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
const edited = (edit: (env: Mutable<Environment>) => void): Environment => {
  const copy = structuredClone(prod) as Mutable<Environment>;
  edit(copy);
  return copy as Environment;
};

function environmentPlan(edit: (env: Mutable<Environment>) => void): EnvironmentPlan {
  const before = synthesizedObjects(prod);
  const after = synthesizedObjects(edited(edit));
  return { env: prod.name, plan: planChanges(before, after), before, after };
}

const topic = prod.topics.find((t) => t.config?.['retention.ms'] !== undefined)!;
// Computed in the first test that asks, never while jest collects the tests: Stryker counts code run then as
// static, and runs the whole suite for each of its mutants.
let riskyPlan: EnvironmentPlan | undefined;
const risky = () => (riskyPlan ??= environmentPlan((env) => {
  env.users!.communityBrokers = [...env.users!.communityBrokers, 'newbroker-usdf'];
  env.topics.find((t) => t.name === topic.name)!.partitions = topic.partitions + 15;
  env.brokers.storageSize = '30Ti';
}));

describe('a change that adds a user, grows partitions and shrinks storage', () => {
  const markdown = () => formatPlanMarkdown([risky()], 'origin/main');

  test('starts with the marker the workflow finds its comment by, and says it is refused', () => {
    expect(markdown().startsWith(`${PLAN_COMMENT_MARKER}\n## Plan against \`origin/main\`: 1 unsafe change refused\n`)).toBe(true);
  });

  test('unsafe findings come first, with the rule, environment, object, old → new and the procedure', () => {
    const unsafeAt = markdown().indexOf('### Unsafe changes');
    expect(unsafeAt).toBeGreaterThan(0);
    expect(unsafeAt).toBeLessThan(markdown().indexOf(`### ${prod.name}`));
    expect(markdown()).toMatch(/- \*\*REFUSED\*\* `storage-decrease` in usdfprod-prompt-processing, `KafkaNodePool\/kafka`: `volume 0: 35Ti` → `30Ti`\n {2}Kubernetes volumes can only grow/);
    expect(markdown()).toContain('Refused changes fail CI until the change declares each in `plan-allowances.yaml`');
  });

  test('an added KafkaUser shows its ACLs; a changed field shows old → new', () => {
    expect(markdown()).toMatch(/- \*\*added\*\* `KafkaUser\/newbroker-usdf`\n {2}authentication `scram-sha-512`; \d+ ACLs:\n( {2}- .*\n)+/);
    expect(markdown()).toContain(`  - Read, Describe, DescribeConfigs on topic \`${topic.name}\` (literal)`);
    expect(markdown()).toMatch(/\n {2}- [\w, ]+ on group `newbroker-usdf` \(prefix\)\n/);
    expect(markdown()).toContain(`- **changed** \`KafkaTopic/${topic.name}\`\n  - \`spec.partitions\`: \`${topic.partitions}\` → \`${topic.partitions + 15}\``);
  });

  test("the new user's Vault key is a reminder", () => {
    expect(markdown()).toContain('### Needed outside the repository');
    expect(markdown()).toMatch(/- usdfprod-prompt-processing: `KafkaUser\/newbroker-usdf` reads its password from Secret `[^`]+`, key `[^`]+`: put the key in Vault/);
  });

  test('per stage, in stage order', () => {
    const stages = [...markdown().matchAll(/^Stage (\d+):$/gm)].map((m) => Number(m[1]));
    expect(stages.length).toBeGreaterThan(1);
    expect(stages).toEqual([...stages].sort((a, b) => a - b));
  });
});

test('an allowed finding says so and the title says safe', () => {
  const allowed = { ...risky(), plan: { ...risky().plan, unsafe: risky().plan.unsafe.map((u) => ({ ...u, allowed: true })) } };
  const text = formatPlanMarkdown([allowed], 'HEAD~1');
  expect(text).toContain('## Plan against `HEAD~1`: safe\n');
  expect(text).toContain('- **allowed** `storage-decrease`');
  expect(text).not.toContain('Refused changes fail CI');
});

test('a topic added shows its partitions, replicas and configs', () => {
  const ep = environmentPlan((env) => {
    env.topics = [...env.topics, { name: 'alerts-extra', partitions: 12, config: { 'retention.ms': 3600000, 'retention.bytes': 1000000 } }];
  });
  const text = formatPlanMarkdown([ep], 'main');
  expect(text).toMatch(/- \*\*added\*\* `KafkaTopic\/alerts-extra`\n {2}12 partitions, \d+ replicas; `retention\.bytes=1000000`, `retention\.ms=3600000`/);
});

test('grown storage names the StorageClass that must allow expansion; a new broker host needs a DNS record', () => {
  const ep = environmentPlan((env) => {
    env.brokers.storageSize = '40Ti';
    env.brokers.nodeIds = [...env.brokers.nodeIds, 10];
    (env.externalListener!.brokers as Array<{ nodeId: number; host: string; ip: string }>).push({ nodeId: 10, host: 'broker-10.example.org', ip: '198.51.100.10' });
  });
  const lines = reminders(ep);
  expect(lines).toContainEqual(`usdfprod-prompt-processing: \`KafkaNodePool/kafka\` grows its volumes (35Ti → 40Ti): StorageClass \`${prod.brokers.storageClass}\` must allow volume expansion (\`npm run validate -- --server\` checks allowVolumeExpansion)`);
  expect(lines).toContainEqual('usdfprod-prompt-processing: new host `broker-10.example.org`: a DNS record must point it at `198.51.100.10` before clients use it');
  expect(lines.filter((l) => l.includes('new host'))).toHaveLength(1);
});

test('an unchanged environment says so; a new one says everything is added', () => {
  const same = environmentPlan(() => {});
  const text = formatPlanMarkdown([same, { ...same, env: 'other', newEnvironment: true }], 'main');
  expect(text).toContain(`### ${prod.name}\n\nNo changes.`);
  expect(text).toContain('### other\n\nA new environment: everything is added.');
  expect(reminders(same)).toEqual([]);
});

test('values with backticks or line breaks cannot break out of their code span; long values are cut', () => {
  const ep: EnvironmentPlan = {
    env: 'e', before: [], after: [],
    plan: { unsafe: [], changes: [{ action: 'changed', object: 'ConfigMap/x', stage: 1, fields: [{ path: 'data.a', before: 'x`y', after: 'l1\nl2' }, { path: 'data.b', before: 'z'.repeat(300) }] }] },
  };
  const text = formatPlanMarkdown([ep], 'main');
  expect(text).toContain('- `data.a`: `` x`y `` → `l1 l2`');
  expect(text).toContain(`- \`data.b\`: \`${'z'.repeat(97)}...\` → (none)`);
});

test('more than eight fields of one object are counted, not listed', () => {
  const fields = Array.from({ length: 11 }, (_, i) => ({ path: `data.k${i}`, before: 1, after: 2 }));
  const text = formatPlanMarkdown([{ env: 'e', before: [], after: [], plan: { unsafe: [], changes: [{ action: 'changed', object: 'ConfigMap/x', stage: 1, fields }] } }], 'main');
  expect(text.match(/^ {2}- `data\.k\d+`/gm)).toHaveLength(8);
  expect(text).toContain('  - … and 3 more (`npm run plan -- --env e --from <base>`)');
});

describe('the parts of an added object and of a reminder, one by one', () => {
  const user = (spec: Record<string, unknown>) => ({ file: '0007-services.k8s.yaml', object: { apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaUser', metadata: { name: 'u' }, spec } });
  const added = (after: EnvironmentPlan['after'], object = 'KafkaUser/u'): EnvironmentPlan => ({
    env: 'e', before: [], after, plan: { unsafe: [], changes: [{ action: 'added', object, stage: 7, fields: [] }] },
  });
  const body = (ep: EnvironmentPlan) => formatPlanMarkdown([ep], 'main').split('Stage 7:\n\n')[1];

  test('a user without authentication and with one ACL of each less common form', () => {
    const acl = { type: 'deny', host: '10.0.0.1', operation: 'Write', resource: { type: 'topic' } };
    expect(body(added([user({ authorization: { acls: [acl] } })]))).toBe(
      '- **added** `KafkaUser/u`\n  authentication `none`; 1 ACL:\n  - Write on topic `*` (literal, host 10.0.0.1, DENY)\n');
  });

  test('a user with no ACLs; host * is not repeated; allow is not marked', () => {
    expect(body(added([user({ authentication: { type: 'tls' } })]))).toBe('- **added** `KafkaUser/u`\n  authentication `tls`; 0 ACLs:\n');
    const acl = { type: 'allow', host: '*', operations: ['Read', 'Describe'], resource: { type: 'group', name: 'g', patternType: 'prefix' } };
    expect(body(added([user({ authorization: { acls: [acl, acl] } })]))).toBe(
      '- **added** `KafkaUser/u`\n  authentication `none`; 2 ACLs:\n  - Read, Describe on group `g` (prefix)\n  - Read, Describe on group `g` (prefix)\n');
  });

  test('a topic without config of its own; an added object of another kind is named only; a removed one too', () => {
    const topic = { file: 'f', object: { kind: 'KafkaTopic', metadata: { name: 't' }, spec: { partitions: 3, replicas: 1 } } };
    expect(body(added([topic], 'KafkaTopic/t'))).toBe('- **added** `KafkaTopic/t`\n  3 partitions, 1 replicas; no config of its own\n');
    const map = { file: 'f', object: { kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } } };
    expect(body(added([map], 'ConfigMap/c'))).toBe('- **added** `ConfigMap/c`\n');
    const removed: EnvironmentPlan = { env: 'e', before: [map], after: [], plan: { unsafe: [], changes: [{ action: 'removed', object: 'ConfigMap/c', stage: 7, fields: [] }] } };
    expect(body(removed)).toBe('- **removed** `ConfigMap/c`\n');
  });

  test('an added user whose password is not read from a Secret (a TLS user) needs no Vault key', () => {
    expect(reminders(added([user({ authentication: { type: 'tls' } })]))).toEqual([]);
  });

  test('storage: only a size that grows is a reminder; the pool\'s own class, several classes, or none', () => {
    const pool = (storage: Record<string, unknown>) => ({ file: 'f', object: { kind: 'KafkaNodePool', metadata: { name: 'p' }, spec: { storage } } });
    const changed = (storage: Record<string, unknown>, fields: Array<{ path: string; before: unknown; after: unknown }>): EnvironmentPlan => ({
      env: 'e', before: [], after: [pool(storage)], plan: { unsafe: [], changes: [{ action: 'changed', object: 'KafkaNodePool/p', stage: 2, fields }] },
    });
    const grow = [{ path: 'spec.storage.size', before: '1Gi', after: '2Gi' }];
    expect(reminders(changed({ class: 'fast' }, grow))).toEqual(['e: `KafkaNodePool/p` grows its volumes (1Gi → 2Gi): StorageClass `fast` must allow volume expansion (`npm run validate -- --server` checks allowVolumeExpansion)']);
    expect(reminders(changed({ volumes: [{ class: 'a' }, { class: 'b' }, { class: 'a' }] }, [{ path: 'spec.storage.volumes[1].size', before: '1Gi', after: '2Gi' }]))[0])
      .toContain('StorageClass `a`, `b` must allow');
    expect(reminders(changed({}, grow))[0]).toContain('StorageClass (the default) must allow');
    for (const fields of [
      [{ path: 'spec.storage.size', before: '2Gi', after: '1Gi' }],
      [{ path: 'spec.storage.size', before: '2Gi', after: '2048Mi' }],
      [{ path: 'spec.storage.sizeLimit', before: '1Gi', after: '2Gi' }],
      [{ path: 'spec.storage.size', before: 1, after: 2 }],
      [{ path: 'spec.storage.size', before: '1Gi', after: undefined }],
    ]) expect([fields, reminders(changed({ class: 'fast' }, fields))]).toEqual([fields, []]);
  });

  test('hosts: Ingress rules, TLS hosts and alternative names are new hosts; a host already known is not', () => {
    const ingress = (hosts: string[]) => ({ file: 'f', object: { kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: hosts.map((host) => ({ host })), tls: [{ hosts }] } } });
    const listener = { file: 'f', object: { kind: 'Kafka', metadata: { name: 'k' }, spec: { listeners: [{ configuration: { bootstrap: { alternativeNames: ['boot.example.org'], host: 'boot.example.org', loadBalancerIP: '192.0.2.1' } } }] } } };
    const ep: EnvironmentPlan = { env: 'e', before: [ingress(['old.example.org'])], after: [ingress(['old.example.org', 'new.example.org']), listener], plan: { unsafe: [], changes: [] } };
    expect(reminders(ep)).toEqual([
      'e: new host `boot.example.org`: a DNS record must point it at `192.0.2.1` before clients use it',
      'e: new host `new.example.org`: a DNS record must point it at its address before clients use it',
    ]);
  });

  test('the title counts refused changes; notes are quoted; several environments are summed in one line', () => {
    const u = { rule: 'topic-removal' as const, object: 'KafkaTopic/t', before: 'x', after: '(none)', procedure: 'p', allowed: false };
    const ep: EnvironmentPlan = { env: 'a', before: [], after: [], plan: { changes: [{ action: 'removed', object: 'KafkaTopic/t', stage: 7, fields: [] }], unsafe: [u, { ...u, object: 'KafkaTopic/s' }] } };
    const text = formatPlanMarkdown([ep, { ...ep, env: 'b', plan: { changes: [], unsafe: [] } }], 'main', ['first note', 'second note']);
    expect(text.split('\n').slice(0, 4)).toEqual([PLAN_COMMENT_MARKER, '## Plan against `main`: 2 unsafe changes refused', '', 'a: 0 added, 0 changed, 1 removed · b: 0 added, 0 changed, 0 removed']);
    expect(text).toContain('\n> first note\n> second note\n');
    expect(text).toContain('- **REFUSED** `topic-removal` in a, `KafkaTopic/t`: `x` → `(none)`\n  p\n');
    expect(text).not.toContain('### Needed outside the repository');
  });
});
