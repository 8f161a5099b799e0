/**
 * `plan --format markdown` on plans built by hand, asserted to the character: the whole comment's layout, code
 * spans, added objects that lack parts, and each kind of reminder's edge. (test/plan-markdown.test.ts runs it on
 * real diffs of an environment.)
 */
import type { LocatedObject } from '../lib/manifests';
import type { FieldChange, ObjectChange, UnsafeChange } from '../lib/plan';
import { EnvironmentPlan, formatPlanMarkdown, PLAN_COMMENT_MARKER, reminders } from '../lib/plan-markdown';

const at = (object: Record<string, unknown>): LocatedObject => ({ file: 'f.yaml', object });
const change = (action: ObjectChange['action'], object: string, stage: number, fields: FieldChange[] = []): ObjectChange => ({ action, object, stage, fields });
const plan = (changes: ObjectChange[], after: LocatedObject[] = [], before: LocatedObject[] = []): EnvironmentPlan => ({
  env: 'e', before, after, plan: { changes, unsafe: [] },
});
const unsafe = (over: Partial<UnsafeChange>): UnsafeChange => ({
  rule: 'topic-removal', object: 'KafkaTopic/t', before: 'x', after: '(none)', procedure: 'p', allowed: false, ...over,
});
const passwordUser = (name: string) => at({
  kind: 'KafkaUser', metadata: { name },
  spec: { authentication: { type: 'scram-sha-512', password: { valueFrom: { secretKeyRef: { name: `${name}-secret`, key: 'password' } } } } },
});
const vault = (env: string, user: string) => `${env}: \`KafkaUser/${user}\` reads its password from Secret \`${user}-secret\`, key \`password\`: put the key in Vault ` +
  `(\`npm run secrets -- --env ${env}\` lists every key) and see it reach the Secret before the sync, or the user stays NotReady`;
/** The lines under `Stage <stage>:` of the only environment. */
const stageBody = (ep: EnvironmentPlan, stage = 1) => formatPlanMarkdown([ep], 'main').split(`Stage ${stage}:\n\n`)[1];
const storage = (env: string, object: string, growth: string, classes: string) =>
  `${env}: \`${object}\` grows its volumes (${growth}): StorageClass ${classes} must allow volume expansion (\`npm run validate -- --server\` checks allowVolumeExpansion)`;
const dns = (host: string, at: string) => `e: new host \`${host}\`: a DNS record must point it at ${at} before clients use it`;

describe('the whole comment, line by line', () => {
  test('unsafe findings, the refusal note, reminders, notes, then each environment by stage', () => {
    const a: EnvironmentPlan = {
      env: 'a', before: [], after: [passwordUser('u')],
      plan: {
        changes: [
          change('changed', 'ConfigMap/c', 1, [{ path: 'data.x', before: '1', after: '2' }]),
          change('added', 'KafkaUser/u', 2),
          change('removed', 'Service/s', 1),
        ],
        unsafe: [unsafe({ procedure: 'p1' })],
      },
    };
    const b: EnvironmentPlan = {
      env: 'b', before: [], after: [], newEnvironment: true,
      plan: { changes: [], unsafe: [unsafe({ rule: 'storage-decrease', object: 'KafkaNodePool/k', before: '2Ti', after: '1Ti', procedure: 'p2', allowed: true })] },
    };
    expect(formatPlanMarkdown([a, b], 'main', ['n1', 'n2'])).toBe([
      PLAN_COMMENT_MARKER,
      '## Plan against `main`: 1 unsafe change refused',
      '',
      'a: 1 added, 1 changed, 1 removed · b: 0 added, 0 changed, 0 removed',
      '',
      '### Unsafe changes',
      '',
      '- **REFUSED** `topic-removal` in a, `KafkaTopic/t`: `x` → `(none)`',
      '  p1',
      '- **allowed** `storage-decrease` in b, `KafkaNodePool/k`: `2Ti` → `1Ti`',
      '  p2',
      '',
      'Refused changes fail CI until the change declares each in `plan-allowances.yaml` (rule, environment, object, reason, procedure followed).',
      '',
      '### Needed outside the repository',
      '',
      `- ${vault('a', 'u')}`,
      '',
      '> n1',
      '> n2',
      '',
      '### a',
      '',
      'Stage 1:',
      '',
      '- **changed** `ConfigMap/c`',
      '  - `data.x`: `1` → `2`',
      '- **removed** `Service/s`',
      '',
      'Stage 2:',
      '',
      '- **added** `KafkaUser/u`',
      '  authentication `scram-sha-512`; 0 ACLs:',
      '',
      '### b',
      '',
      'A new environment: everything is added.',
      '',
      'No changes.',
      '',
    ].join('\n'));
  });

  test('a safe change without notes has no unsafe, reminder or note section, and no count of more fields', () => {
    const fields = Array.from({ length: 8 }, (_, i) => ({ path: `data.k${i}`, before: i, after: i + 1 }));
    expect(formatPlanMarkdown([plan([change('changed', 'ConfigMap/c', 3, fields)])], 'HEAD~1')).toBe([
      PLAN_COMMENT_MARKER,
      '## Plan against `HEAD~1`: safe',
      '',
      'e: 0 added, 1 changed, 0 removed',
      '',
      '### e',
      '',
      'Stage 3:',
      '',
      '- **changed** `ConfigMap/c`',
      ...fields.map((f) => `  - \`${f.path}\`: \`${f.before}\` → \`${f.after}\``),
      '',
    ].join('\n'));
  });
});

describe('code spans', () => {
  test('a CRLF line break is one space; a run of backticks is fenced by a longer run; 100 characters are shown whole, 101 cut', () => {
    const fields = [
      { path: 'data.crlf', before: 'l1\r\nl2', after: 'l1\n\nl2' },
      { path: 'data.ticks', before: 'a``b', after: 'c`d' },
      { path: 'data.long', before: 'y'.repeat(100), after: 'z'.repeat(101) },
    ];
    expect(stageBody(plan([change('changed', 'ConfigMap/c', 1, fields)]))).toBe([
      '- **changed** `ConfigMap/c`',
      '  - `data.crlf`: `l1 l2` → `l1 l2`',
      '  - `data.ticks`: ``` a``b ``` → `` c`d ``',
      `  - \`data.long\`: \`${'y'.repeat(100)}\` → \`${'z'.repeat(97)}...\``,
      '',
    ].join('\n'));
  });
});

describe('objects that lack parts', () => {
  test('an added object missing from the output is named only, needs no reminder, and an object without metadata is passed over', () => {
    const ep = plan([change('added', 'KafkaUser/gone', 1)], [at({ kind: 'Secret' })]);
    expect(stageBody(ep)).toBe('- **added** `KafkaUser/gone`\n');
    expect(reminders(ep)).toEqual([]);
  });

  test('a user without spec: no authentication, no ACLs, no reminder', () => {
    const ep = plan([change('added', 'KafkaUser/u', 1)], [at({ kind: 'KafkaUser', metadata: { name: 'u' } })]);
    expect(stageBody(ep)).toBe('- **added** `KafkaUser/u`\n  authentication `none`; 0 ACLs:\n');
    expect(reminders(ep)).toEqual([]);
  });

  test('an ACL without resource is still one line', () => {
    const user = at({ kind: 'KafkaUser', metadata: { name: 'u' }, spec: { authorization: { acls: [{ operation: 'Read' }] } } });
    expect(stageBody(plan([change('added', 'KafkaUser/u', 1)], [user]))).toBe('- **added** `KafkaUser/u`\n  authentication `none`; 1 ACL:\n  - Read on undefined `*` (literal)\n');
  });

  test('a topic without spec is still one line', () => {
    const topic = at({ kind: 'KafkaTopic', metadata: { name: 't' } });
    expect(stageBody(plan([change('added', 'KafkaTopic/t', 1)], [topic]))).toBe('- **added** `KafkaTopic/t`\n  undefined partitions, undefined replicas; no config of its own\n');
  });

  test('a removed object is named only, whatever fields the plan holds for it', () => {
    const ep = plan([change('removed', 'ConfigMap/c', 1, [{ path: 'data.a', before: '1' }])]);
    expect(stageBody(ep)).toBe('- **removed** `ConfigMap/c`\n');
  });
});

describe('reminders', () => {
  test('a Vault key for an added user only: not for a changed or removed one, nor for another kind, nor for a password without valueFrom', () => {
    const connect = at({ kind: 'KafkaConnect', metadata: { name: 'k' }, spec: { authentication: { password: { valueFrom: { secretKeyRef: { name: 's', key: 'k' } } } } } });
    const inline = at({ kind: 'KafkaUser', metadata: { name: 'i' }, spec: { authentication: { type: 'scram-sha-512', password: {} } } });
    const ep = plan([
      change('changed', 'KafkaUser/c', 1, [{ path: 'spec.quotas.producerByteRate', before: 1, after: 2 }]),
      change('removed', 'KafkaUser/r', 1),
      change('added', 'KafkaConnect/k', 1),
      change('added', 'KafkaUser/i', 1),
      change('added', 'KafkaUser/n', 1),
    ], [passwordUser('c'), passwordUser('r'), connect, inline, passwordUser('n')]);
    expect(reminders(ep)).toEqual([vault('e', 'n')]);
  });

  test('storage: a bare size grows too; several grown volumes are listed; a size written as a number on either side is not compared', () => {
    const pool = at({ kind: 'KafkaNodePool', metadata: { name: 'p' }, spec: { storage: { class: 'fast' } } });
    const grown = (fields: FieldChange[]) => reminders(plan([change('changed', 'KafkaNodePool/p', 1, fields)], [pool]));
    expect(grown([{ path: 'size', before: '1Gi', after: '2Gi' }])).toEqual([storage('e', 'KafkaNodePool/p', '1Gi → 2Gi', '`fast`')]);
    expect(grown([{ path: 'spec.storage.volumes[0].size', before: '1Gi', after: '2Gi' }, { path: 'spec.storage.volumes[1].size', before: '3Gi', after: '4Gi' }]))
      .toEqual([storage('e', 'KafkaNodePool/p', '1Gi → 2Gi, 3Gi → 4Gi', '`fast`')]);
    expect(grown([{ path: 'spec.storage.size', before: 1, after: '2Gi' }])).toEqual([]);
    expect(grown([{ path: 'spec.storage.size', before: '1Gi', after: 4294967296 }])).toEqual([]);
  });

  test('storage: only a changed object grows; an added or removed one\'s fields are not read', () => {
    const grow = [{ path: 'spec.storage.size', before: '1Gi', after: '2Gi' }];
    const pool = at({ kind: 'KafkaNodePool', metadata: { name: 'p' }, spec: { storage: { class: 'fast' } } });
    expect(reminders(plan([change('added', 'KafkaNodePool/p', 1, grow), change('removed', 'KafkaNodePool/q', 1, grow)], [pool]))).toEqual([]);
  });

  test('storage: the default class when the object is missing, has no spec, or no storage', () => {
    const grow = [{ path: 'spec.storage.size', before: '1Gi', after: '2Gi' }];
    const ep = plan([change('changed', 'PersistentVolumeClaim/gone', 1, grow), change('changed', 'Thing/bare', 1, grow), change('changed', 'Thing/nostorage', 1, grow)], [
      at({ kind: 'Thing', metadata: { name: 'bare' } }),
      at({ kind: 'Thing', metadata: { name: 'nostorage' }, spec: { resources: {} } }),
    ]);
    expect(reminders(ep)).toEqual([
      storage('e', 'PersistentVolumeClaim/gone', '1Gi → 2Gi', '(the default)'),
      storage('e', 'Thing/bare', '1Gi → 2Gi', '(the default)'),
      storage('e', 'Thing/nostorage', '1Gi → 2Gi', '(the default)'),
    ]);
  });

  test('hosts: alternative names and TLS hosts alone are new hosts; entries that are not text, a host that is not text, an IP that is not text are passed over', () => {
    const listener = at({
      kind: 'Kafka', metadata: { name: 'k', annotations: null },
      spec: { listeners: [{ configuration: { bootstrap: { alternativeNames: ['alt.example.org', 7] }, brokers: [{ advertisedHost: 'ip.example.org', loadBalancerIP: 5 }, { host: 42 }] } }] },
    });
    const ingress = at({ kind: 'Ingress', metadata: { name: 'i' }, spec: { tls: [{ hosts: ['tls.example.org', null] }] } });
    expect(reminders(plan([], [listener, ingress]))).toEqual([
      dns('alt.example.org', 'its address'),
      dns('ip.example.org', 'its address'),
      dns('tls.example.org', 'its address'),
    ]);
  });

  test('hosts: an object of numbers and nulls only names no host', () => {
    expect(reminders(plan([], [at({ replicas: 3, spec: null, status: { ready: [1, null] } })]))).toEqual([]);
  });
});
