import { environments } from '../../lib/environments';
import { allObjects } from '../helpers';
import { synthesizeEnvironment } from '../../lib/synthesize';

/** Workloads that leave authentication to their ingress, with the port the ingress sends to. */
const guarded = [
  { deployment: 'kafbat', policy: 'kafbat', port: 8080 },
  { deployment: 'alert-database-server-1.0.0', policy: 'sasquatch-alert-database', port: 3000 },
];

/** Whether a label selector (matchLabels only) selects a pod with these labels. */
const selects = (selector: { matchLabels?: Record<string, string> }, labels: Record<string, string>) =>
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

describe.each(Object.values(environments))('$name', (env) => {
  const objects = allObjects(synthesizeEnvironment(env)) as any[];
  // The policies that decide who may connect (each pod also has an Egress-only policy, which does not).
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.spec.policyTypes.includes('Ingress'));
  const present = guarded.filter((g) => objects.some((o) => o.kind === 'Deployment' && o.metadata.name === g.deployment));

  test('every workload that trusts its ingress for the login has a policy selecting its pods', () => {
    expect(present.length).toBeGreaterThan(0);
    for (const g of present) {
      const pods = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === g.deployment).spec.template.metadata.labels;
      const guarding = policies.filter((p) => selects(p.spec.podSelector, pods));
      expect(guarding.map((p) => p.metadata.name)).toEqual([g.policy]);
    }
  });

  test('only the ingress controller pods may open the port; other pods of the cluster are refused', () => {
    for (const g of present) {
      const policy = policies.find((p) => p.metadata.name === g.policy);
      expect(policy.spec.policyTypes).toEqual(['Ingress']);
      expect(policy.spec.ingress).toEqual([{
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
        }],
        ports: [{ protocol: 'TCP', port: g.port }],
      }]);
      // (Each peer names its namespace: one with only a podSelector would admit every pod of the namespace it names.)
    }
  });

  test('the ingress controller location comes from the environment', () => {
    const moved = { ...env, ingressControllerPods: { namespace: 'nginx', podLabels: { app: 'nginx-controller' } } };
    const policy = allObjects(synthesizeEnvironment(moved)).find((o: any) => o.kind === 'NetworkPolicy' && o.metadata.name === 'kafbat') as any;
    expect(policy.spec.ingress[0].from).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'nginx' } },
      podSelector: { matchLabels: { app: 'nginx-controller' } },
    }]);
  });

  test('Kafbat only describes consumer groups, and the ingester reads only its own group', () => {
    const kafbat = objects.find((o) => o.kind === 'KafkaUser' && o.metadata.name === 'kafbat');
    const groupAcls = (user: any) => user.spec.authorization.acls.filter((a: any) => a.resource.type === 'group');
    expect(groupAcls(kafbat).map((a: any) => [a.resource.name, a.resource.patternType, a.operations])).toEqual([['*', 'literal', ['Describe']]]);
    const ingester = objects.find((o) => o.kind === 'KafkaUser' && o.metadata.name === 'alert-database-ingester');
    if (!ingester) return;
    const scaled = objects.find((o) => o.kind === 'ScaledObject');
    expect(groupAcls(ingester).map((a: any) => [a.resource.name, a.resource.patternType, a.operations])).toEqual([
      [scaled?.spec.triggers[0].metadata.consumerGroup ?? 'alertdb-ingester', 'literal', ['Read', 'Describe']],
    ]);
  });
});
