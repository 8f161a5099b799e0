import { urlPort } from '../../constructs/workload-network-policy';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects, withChanges } from '../helpers';

const DNS = { ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }] };

describe.each(Object.values(environments))('$name', (env) => {
  const objects = allObjects(synthesizeEnvironment(env)) as any[];
  const policy = (name: string) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name);
  const registry = { podSelector: { matchLabels: { app: 'sasquatch-schema-registry' } } };
  const brokers = { podSelector: { matchLabels: { 'strimzi.io/cluster': 'sasquatch', 'strimzi.io/broker-role': 'true' } } };

  test('the schema sync may call only DNS and the registry, and no pod may call it', () => {
    expect(policy('sasquatch-sync-schema-egress').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alert-stream-schema-sync' } },
      policyTypes: ['Egress'],
      egress: [DNS, { to: [registry], ports: [{ protocol: 'TCP', port: 8081 }] }],
    });
    expect(policy('sasquatch-sync-schema-no-ingress').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alert-stream-schema-sync' } }, policyTypes: ['Ingress'],
    });
  });

  test('Kafbat may call DNS, the brokers on the TLS listener and the registry', () => {
    expect(policy('kafbat-egress').spec.egress).toEqual([
      DNS,
      { to: [brokers], ports: [{ protocol: 'TCP', port: 9093 }] },
      { to: [registry], ports: [{ protocol: 'TCP', port: 8081 }] },
    ]);
  });

});

const withArchive = Object.values(environments).filter((e) => e.alertDatabase !== undefined);
const autoscaledBeyondOne = Object.values(environments).filter((e) => (e.alertDatabase?.ingester.autoscaling?.maxReplicas ?? 1) > 1);

test('some environment has an archive, and some one lets KEDA run several ingesters', () => {
  expect(withArchive.length).toBeGreaterThan(0);
  expect(autoscaledBeyondOne.length).toBeGreaterThan(0);
});

describe.each(withArchive)('$name', (env) => {
  const objects = allObjects(synthesizeEnvironment(env)) as any[];
  const policy = (name: string) => objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name);
  const registry = { podSelector: { matchLabels: { app: 'sasquatch-schema-registry' } } };
  const brokers = { podSelector: { matchLabels: { 'strimzi.io/cluster': 'sasquatch', 'strimzi.io/broker-role': 'true' } } };

  test('the ingester and the archive server may call S3 on its port, the ingester also the brokers and the registry', () => {
    const s3 = { ports: [{ protocol: 'TCP', port: urlPort(env.alertDatabase!.storage.endpointUrl) }] };
    expect(policy('alert-database-ingester-1.0.0-egress').spec.egress).toEqual([
      DNS,
      { to: [brokers], ports: [{ protocol: 'TCP', port: 9093 }] },
      { to: [registry], ports: [{ protocol: 'TCP', port: 8081 }] },
      s3,
    ]);
    expect(policy('alert-database-ingester-1.0.0-no-ingress').spec.policyTypes).toEqual(['Ingress']);
    expect(policy('sasquatch-alert-database-egress').spec.egress).toEqual([DNS, s3]);
  });
});

describe.each(Object.values(environments))('$name', (env) => {
  test('a PodDisruptionBudget exactly where KEDA may run more than one ingester', () => {
    const objects = allObjects(synthesizeEnvironment(env)) as any[];
    const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget').map((o) => [o.metadata.name, o.spec]);
    const ingester = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'alert-database-ingester-1.0.0');
    expect(pdbs).toEqual(autoscaledBeyondOne.includes(env)
      ? [['alert-database-ingester-1.0.0', { maxUnavailable: 1, selector: { matchLabels: ingester.spec.selector.matchLabels }, unhealthyPodEvictionPolicy: 'AlwaysAllow' }]]
      : []);
  });
});

describe.each(autoscaledBeyondOne)('$name', (env) => {
  test('with at most one replica, no PodDisruptionBudget (it would block every drain)', () => {
    const single = withChanges(env, { alertDatabase: { ingester: { autoscaling: { maxReplicas: 1, minReplicas: 1 } } } });
    expect(allObjects(synthesizeEnvironment(single)).some((o: any) => o.kind === 'PodDisruptionBudget')).toBe(false);
  });
});

test('the port of a URL: explicit, else the scheme\'s', () => {
  expect(urlPort('https://s3.example.org/')).toBe(443);
  expect(urlPort('http://s3.example.org/')).toBe(80);
  expect(urlPort('https://s3.example.org:9000/')).toBe(9000);
});
