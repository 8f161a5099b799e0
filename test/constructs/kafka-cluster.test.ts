import { Testing } from 'cdk8s';
import { KafkaCluster, KafkaClusterProps, LoadBalancerListenerOptions } from '../../constructs';
import { VaultBackedSecret } from '../../constructs/vault-secret';
import { testChart } from '../helpers';

const externalListener: LoadBalancerListenerOptions = {
  type: 'loadbalancer',
  addressPool: 'pool',
  bootstrap: { host: 'bootstrap.example.org', ip: '10.0.0.1' },
  brokers: [{ nodeId: 0, host: 'b0.example.org', ip: '10.0.0.2' }],
  tls: false,
};

const props: Omit<KafkaClusterProps, 'passwords'> = {
  name: 'alerts',
  namespace: 'stream',
  version: '4.1.0',
  replicationFactor: 3,
  minInsyncReplicas: 2,
  config: {},
  superUser: 'admin',
  externalListener,
};

function synth(overrides: Partial<KafkaClusterProps> = {}) {
  const chart = testChart();
  const passwords = new VaultBackedSecret(chart, 'Secret', { vaultPathPrefix: 'secret/test' });
  const cluster = new KafkaCluster(chart, 'Kafka', { ...props, passwords, ...overrides });
  const objects = Testing.synth(chart);
  return { cluster, passwords, kafka: objects.find((o) => o.kind === 'Kafka'), objects };
}

describe('KafkaCluster', () => {
  test('exposes the addresses and secrets clients need', () => {
    const { cluster } = synth();
    expect(cluster.bootstrapServers('tls')).toBe('alerts-kafka-bootstrap.stream:9093');
    expect(cluster.bootstrapServers('plain')).toBe('alerts-kafka-bootstrap.stream:9092');
    expect(cluster.clusterCaCertSecret).toBe('alerts-cluster-ca-cert');
    expect(cluster.superUser.principal).toBe('admin');
  });

  test("the super user is the manual's password (SCRAM-SHA-512) user, its key in the environment's Secret", () => {
    const { objects, passwords, kafka } = synth();
    const users = objects.filter((o) => o.kind === 'KafkaUser');
    expect(users.map((u) => [u.metadata.name, u.spec.authentication])).toEqual([
      ['admin', { type: 'scram-sha-512', password: { valueFrom: { secretKeyRef: { name: 'sasquatch', key: 'admin-password' } } } }],
    ]);
    expect(passwords.requiredKeys).toEqual([{ key: 'admin-password', readBy: ['KafkaUser/admin'] }]);
    // A password principal is the bare user name; `CN=admin` would make nobody a super user.
    expect(kafka.spec.kafka.authorization).toEqual({ type: 'simple', superUsers: ['admin'] });
  });

  test('an mTLS super user only when asked for, its principal its certificate name', () => {
    const { objects, kafka, cluster } = synth({ tlsSuperUser: 'admin-tls' });
    const users = objects.filter((o) => o.kind === 'KafkaUser');
    expect(users.map((u) => [u.metadata.name, u.spec.authentication.type])).toEqual([['admin', 'scram-sha-512'], ['admin-tls', 'tls']]);
    expect(kafka.spec.kafka.authorization.superUsers).toEqual(['admin', 'CN=admin-tls']);
    expect(cluster.superUsers.map((u) => u.principal)).toEqual(kafka.spec.kafka.authorization.superUsers);
    for (const user of users) {
      expect(user.spec.authorization.acls.map((a: any) => [a.resource.type, a.resource.name, a.operations])).toEqual([['group', '*', ['All']], ['topic', '*', ['All']]]);
    }
  });

  test('replication factor and min ISR drive the internal topics too', () => {
    const config = synth({ replicationFactor: 5, minInsyncReplicas: 3 }).kafka.spec.kafka.config;
    expect(config).toMatchObject({
      'default.replication.factor': 5,
      'offsets.topic.replication.factor': 5,
      'transaction.state.log.replication.factor': 5,
      'min.insync.replicas': 3,
      'transaction.state.log.min.isr': 3,
    });
  });

  test('environment broker config overrides the defaults', () => {
    const config = synth({ config: { 'message.max.bytes': 4194304, 'auto.create.topics.enable': false } }).kafka.spec.kafka.config;
    expect(config['message.max.bytes']).toBe(4194304);
    expect(config['replica.fetch.max.bytes']).toBe(10485760);
    expect(config['auto.create.topics.enable']).toBe(false);
  });

  test('metadataVersion is rendered only when set', () => {
    expect(synth().kafka.spec.kafka).not.toHaveProperty('metadataVersion');
    expect(synth({ metadataVersion: '4.1-IV1' }).kafka.spec.kafka.metadataVersion).toBe('4.1-IV1');
  });

  test('no metricsConfig without a metrics ConfigMap', () => {
    expect(synth().kafka.spec.kafka).not.toHaveProperty('metricsConfig');
  });

  test('external TLS with the cluster CA adds the bootstrap host to the certificate names', () => {
    const external = synth({ externalListener: { ...externalListener, tls: true } }).kafka.spec.kafka.listeners[2];
    expect(external.tls).toBe(true);
    expect(external.configuration.bootstrap.alternativeNames).toEqual(['bootstrap.example.org']);
    expect(external.configuration).not.toHaveProperty('brokerCertChainAndKey');
  });

  test('external TLS with an own certificate references its Secret', () => {
    const certificate = { secretName: 'alert-stream-tls', certificate: 'tls.crt', key: 'tls.key' };
    const external = synth({ externalListener: { ...externalListener, tls: true, tlsCertificate: certificate } }).kafka.spec.kafka.listeners[2];
    expect(external.tls).toBe(true);
    expect(external.configuration.brokerCertChainAndKey).toEqual(certificate);
  });

  test('plaintext only when the environment says tls: false, and then no certificate is used', () => {
    const certificate = { secretName: 'alert-stream-tls', certificate: 'tls.crt', key: 'tls.key' };
    const external = synth({ externalListener: { ...externalListener, tlsCertificate: certificate } }).kafka.spec.kafka.listeners[2];
    expect(external.tls).toBe(false);
    expect(external.authentication).toEqual({ type: 'scram-sha-512' });
    expect(external.configuration).not.toHaveProperty('brokerCertChainAndKey');
  });

  test('the bootstrap host is in the output with or without TLS, so a change of it can be planned', () => {
    for (const tls of [{ tls: false }, { tls: true }, { tls: true, tlsCertificate: { secretName: 's', certificate: 'c', key: 'k' } }]) {
      const external = synth({ externalListener: { ...externalListener, ...tls } }).kafka.spec.kafka.listeners[2];
      expect(external.configuration.bootstrap.alternativeNames).toEqual(['bootstrap.example.org']);
    }
  });

  test('maintenance windows and exporter resources can be set', () => {
    const resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } as const;
    const { kafka } = synth({ maintenanceTimeWindows: ['0 0 2 ? * SUN'], kafkaExporterResources: resources });
    expect(kafka.spec.maintenanceTimeWindows).toEqual(['0 0 2 ? * SUN']);
    expect(kafka.spec.kafkaExporter.resources).toEqual(resources);
  });
});
