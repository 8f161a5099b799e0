import { Testing } from 'cdk8s';
import { BrokerPool, ControllerPool, NodePoolProps } from '../../constructs';
import { testChart } from '../helpers';

const props: NodePoolProps = {
  clusterName: 'sasquatch',
  nodeIds: [3, 4, 5],
  storageSize: '1Ti',
  storageClass: 'fast',
  resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '1', memory: '4Gi' } },
  podAntiAffinity: 'required',
};

function synthBroker(overrides: Partial<NodePoolProps> = {}) {
  const chart = testChart();
  const pool = new BrokerPool(chart, 'Brokers', { ...props, ...overrides });
  const [object] = Testing.synth(chart);
  return { pool, object };
}

describe('BrokerPool', () => {
  test('is named kafka, has the broker role and one replica per node id', () => {
    const { pool, object } = synthBroker();
    expect(pool.poolName).toBe('kafka');
    expect(pool.nodeIds).toEqual([3, 4, 5]);
    expect(object.kind).toBe('KafkaNodePool');
    expect(object.metadata.name).toBe('kafka');
    expect(object.spec.roles).toEqual(['broker']);
    expect(object.spec.replicas).toBe(3);
    expect(object.metadata.annotations['strimzi.io/next-node-ids']).toBe('[3,4,5]');
  });

  test('broker PVCs are never deleted with the pool nor pruned by Argo CD', () => {
    const { object } = synthBroker();
    expect(object.spec.storage.volumes[0].deleteClaim).toBe(false);
    expect(object.spec.template.persistentVolumeClaim.metadata.annotations).toEqual({
      'argocd.argoproj.io/compare-options': 'IgnoreExtraneous',
      'argocd.argoproj.io/sync-options': 'Prune=false',
    });
  });

  test('millicore requests stay strings (the CRD rejects fractional numbers)', () => {
    expect(synthBroker().object.spec.resources.requests).toEqual({ cpu: '500m', memory: '2Gi' });
  });

  test('without a storage class the cluster default is used', () => {
    expect(synthBroker({ storageClass: undefined }).object.spec.storage.volumes[0]).not.toHaveProperty('class');
  });

  test('termination grace period defaults to 180 s and can be changed', () => {
    expect(synthBroker().object.spec.template.pod.terminationGracePeriodSeconds).toBe(180);
    expect(synthBroker({ terminationGracePeriodSeconds: 30 }).object.spec.template.pod.terminationGracePeriodSeconds).toBe(30);
  });

  test('preferred anti-affinity spreads pods without requiring a node each', () => {
    const affinity = synthBroker({ podAntiAffinity: 'preferred' }).object.spec.template.pod.affinity;
    expect(affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution).toBeUndefined();
    expect(affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([{
      weight: 100,
      podAffinityTerm: {
        labelSelector: { matchExpressions: [{ key: 'strimzi.io/cluster', operator: 'In', values: ['sasquatch'] }] },
        topologyKey: 'kubernetes.io/hostname',
      },
    }]);
  });

  test('no anti-affinity renders no affinity at all', () => {
    expect(synthBroker({ podAntiAffinity: 'none' }).object.spec.template.pod).not.toHaveProperty('affinity');
  });

  test('tolerations reach the pod template', () => {
    const tolerations = [{ key: 'dedicated', operator: 'Equal', value: 'kafka', effect: 'NoSchedule' }] as const;
    expect(synthBroker({ tolerations }).object.spec.template.pod.tolerations).toEqual(tolerations);
  });

  test('fails when the pool has no node ids', () => {
    expect(() => synthBroker({ nodeIds: [] })).toThrow("KafkaNodePool 'kafka': nodeIds is empty; a pool needs at least one node id");
  });
});

describe('ControllerPool', () => {
  test('is named controller with the controller role, or the name given', () => {
    const chart = testChart();
    new ControllerPool(chart, 'Controllers', props);
    new ControllerPool(chart, 'Other', { ...props, name: 'quorum' });
    const [first, second] = Testing.synth(chart);
    expect([first.metadata.name, first.spec.roles]).toEqual(['controller', ['controller']]);
    expect(second.metadata.name).toBe('quorum');
  });
});
