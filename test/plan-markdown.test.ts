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
