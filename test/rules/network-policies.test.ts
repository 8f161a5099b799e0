import { checkNetworkPolicies } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects } from '../helpers';

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

describe.each(Object.values(environments))('$name', (env) => {
  const objects = allObjects(synthesizeEnvironment(env)) as any[];
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const workloads = objects.filter((o) => WORKLOAD_KINDS.includes(o.kind));
  const without = (pred: (o: any) => boolean) => objects.filter((o) => !pred(o));

  test('every pod we run is selected by an Ingress and an Egress policy', () => {
    expect(workloads.length).toBeGreaterThan(0);
    expect(checkNetworkPolicies(env, objects)).toEqual([]);
  });

  test('without any policy, each workload is named twice, once per type', () => {
    const problems = checkNetworkPolicies(env, without((o) => o.kind === 'NetworkPolicy'));
    expect(problems).toEqual(workloads.flatMap((w) => ['Ingress', 'Egress'].map((type) => ({
      env: env.name, resource: `${w.kind}/${w.metadata.name}`, field: 'spec.template.metadata.labels',
      message: `no NetworkPolicy of type ${type} selects its pods: give it one (constructs/workload-network-policy.ts)`,
    }))));
  });

  test('an egress policy alone does not cover ingress, and the reverse', () => {
    const egressOnly = checkNetworkPolicies(env, without((o) => o.kind === 'NetworkPolicy' && o.spec.policyTypes.includes('Ingress')));
    expect(new Set(egressOnly.map((p) => p.message.split(' ')[4]))).toEqual(new Set(['Ingress']));
    const ingressOnly = checkNetworkPolicies(env, without((o) => o.kind === 'NetworkPolicy' && o.spec.policyTypes.includes('Egress')));
    expect(new Set(ingressOnly.map((p) => p.message.split(' ')[4]))).toEqual(new Set(['Egress']));
  });

  test('a future workload (a CronJob, a StatefulSet, a bare Pod) is covered by the same rule', () => {
    const labels = { 'app.kubernetes.io/name': 'future' };
    const extra = [
      { kind: 'CronJob', metadata: { name: 'cron' }, spec: { jobTemplate: { spec: { template: { metadata: { labels } } } } } },
      { kind: 'StatefulSet', metadata: { name: 'set' }, spec: { template: { metadata: { labels } } } },
      { kind: 'DaemonSet', metadata: { name: 'daemon' }, spec: { template: { metadata: { labels } } } },
      { kind: 'ReplicaSet', metadata: { name: 'replicas' }, spec: { template: { metadata: { labels } } } },
      { kind: 'Pod', metadata: { name: 'pod', labels } },
      { kind: 'Pod', metadata: { name: 'unlabelled' } },
    ];
    const problems = checkNetworkPolicies(env, [...objects, ...extra]);
    expect(problems.map((p) => p.resource)).toEqual(extra.flatMap((o) => [`${o.kind}/${o.metadata.name}`, `${o.kind}/${o.metadata.name}`]));
    const covering = ['Ingress', 'Egress'].map((type) => ({ kind: 'NetworkPolicy', metadata: { name: `future-${type}` }, spec: { podSelector: { matchLabels: labels }, policyTypes: [type] } }));
    expect(checkNetworkPolicies(env, [...objects, ...extra, ...covering]).map((p) => p.resource)).toEqual(['Pod/unlabelled', 'Pod/unlabelled']);
  });

  test('selectors: matchExpressions count, a policy without spec selects nothing typed, an empty selector selects every pod', () => {
    const labels = { tier: 'a' };
    const pod = { kind: 'Pod', metadata: { name: 'p', labels } };
    const policy = (selector: any, types = ['Ingress', 'Egress']) => ({ kind: 'NetworkPolicy', metadata: { name: 'x' }, spec: { podSelector: selector, policyTypes: types } });
    const check = (...extra: any[]) => checkNetworkPolicies(env, [pod, ...extra]).length;
    expect(check(policy({}))).toBe(0);
    expect(check(policy(undefined))).toBe(0);
    // Without policyTypes, Kubernetes takes Ingress, and Egress when there are egress rules; without spec, every pod.
    expect(check({ kind: 'NetworkPolicy', metadata: { name: 'no-spec' } })).toBe(1);
    expect(check({ kind: 'NetworkPolicy', metadata: { name: 'untyped' }, spec: { podSelector: {} } })).toBe(1);
    expect(check({ kind: 'NetworkPolicy', metadata: { name: 'untyped-egress' }, spec: { podSelector: {}, egress: [] } })).toBe(0);
    expect(checkNetworkPolicies(env, [pod, { kind: 'NetworkPolicy', metadata: { name: 'untyped' }, spec: { podSelector: {} } }]).map((p) => p.message))
      .toEqual([expect.stringContaining('no NetworkPolicy of type Egress')]);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'constructor', values: ['a'] }] }))).toBe(2);
    expect(check(policy({ matchLabels: { tier: 'b' } }))).toBe(2);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'c'] }] }))).toBe(0);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['c'] }] }))).toBe(2);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'In' }] }))).toBe(2);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['c'] }] }))).toBe(0);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] }))).toBe(2);
    expect(check(policy({ matchExpressions: [{ key: 'other', operator: 'NotIn', values: ['a'] }] }))).toBe(0);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'NotIn' }] }))).toBe(0);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }))).toBe(0);
    expect(check(policy({ matchExpressions: [{ key: 'other', operator: 'Exists' }] }))).toBe(2);
    expect(check(policy({ matchExpressions: [{ key: 'other', operator: 'DoesNotExist' }] }))).toBe(0);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }))).toBe(2);
    expect(check(policy({ matchExpressions: [{ key: 'tier', operator: 'Bogus', values: ['a'] }] }))).toBe(2);
    expect(check(policy({ matchLabels: labels, matchExpressions: [{ key: 'tier', operator: 'Exists' }] }))).toBe(0);
    expect(check(policy({ matchLabels: labels, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }))).toBe(2);
  });

  test('a workload without a pod template is skipped, and an object without a name is still named', () => {
    const malformed = [
      { kind: 'StatefulSet' }, { kind: 'StatefulSet', spec: {} }, { kind: 'DaemonSet' }, { kind: 'DaemonSet', spec: {} },
      { kind: 'ReplicaSet' }, { kind: 'ReplicaSet', spec: {} }, { kind: 'Deployment' }, { kind: 'Job', spec: {} },
      { kind: 'CronJob' }, { kind: 'CronJob', spec: {} }, { kind: 'CronJob', spec: { jobTemplate: {} } }, { kind: 'CronJob', spec: { jobTemplate: { spec: {} } } },
    ];
    expect(checkNetworkPolicies(env, [...objects, ...malformed])).toEqual([]);
    expect(checkNetworkPolicies(env, [...objects, { kind: 'Pod' }]).map((p) => p.resource)).toEqual(['Pod/undefined', 'Pod/undefined']);
  });

  test("the workloads' policies are the ones this project writes", () => {
    for (const w of workloads) {
      const pods = (w.spec.template ?? w.spec.jobTemplate.spec.template).metadata.labels;
      const selecting = policies.filter((p) => Object.entries(p.spec.podSelector.matchLabels).every(([k, v]) => pods[k] === v));
      expect(selecting.some((p) => p.spec.policyTypes.includes('Egress') && p.metadata.name.endsWith('-egress'))).toBe(true);
    }
  });
});
