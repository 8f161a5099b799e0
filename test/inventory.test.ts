/**
 * The Kafka core of both environments against the Phalanx inventory
 * (../shared/reference/phalanx-inventory.md §2), typed in from the document,
 * independently of the environment files.
 */
import { environments } from '../lib/environments';
import { findObject } from './helpers';

/** The restricted pod security standard, as every Strimzi pod gets it through its template (issue 25). */
const RESTRICTED_POD = { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } };
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, readOnlyRootFilesystem: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

const inventory = {
  'usdfdev-prompt-processing': {
    controllers: { replicas: 3, nextNodeIds: '[0,1,2]' },
    brokers: { replicas: 5, nextNodeIds: '[3,4,5,6,7]' },
    bootstrapIp: '134.79.23.199',
    brokerAddresses: [
      [3, 'rubin-alert-stream-broker-3-dev.slac.stanford.edu', '134.79.23.201'],
      [4, 'rubin-alert-stream-broker-4-dev.slac.stanford.edu', '134.79.23.203'],
      [5, 'rubin-alert-stream-broker-5-dev.slac.stanford.edu', '134.79.23.204'],
      [6, 'rubin-alert-stream-broker-6-dev.slac.stanford.edu', '134.79.23.205'],
      [7, 'rubin-alert-stream-broker-7-dev.slac.stanford.edu', '134.79.23.206'],
    ],
  },
  'usdfprod-prompt-processing': {
    controllers: { replicas: 5, nextNodeIds: '[0,1,2,3,4]' },
    brokers: { replicas: 5, nextNodeIds: '[5,6,7,8,9]' },
    bootstrapIp: '134.79.23.209',
    brokerAddresses: [
      [5, 'rubin-alert-stream-broker-5.slac.stanford.edu', '134.79.23.212'],
      [6, 'rubin-alert-stream-broker-6.slac.stanford.edu', '134.79.23.213'],
      [7, 'rubin-alert-stream-broker-7.slac.stanford.edu', '134.79.23.215'],
      [8, 'rubin-alert-stream-broker-8.slac.stanford.edu', '134.79.23.210'],
      [9, 'rubin-alert-stream-broker-9.slac.stanford.edu', '134.79.23.211'],
    ],
  },
} as const;

const sharedPoolFields = {
  storageClass: 'wekafs--sdf-k8s01',
  pvcAnnotations: { 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous', 'argocd.argoproj.io/sync-options': 'Prune=false' },
  antiAffinity: {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{
        labelSelector: { matchExpressions: [{ key: 'strimzi.io/cluster', operator: 'In', values: ['sasquatch'] }] },
        topologyKey: 'kubernetes.io/hostname',
      }],
    },
  },
};

describe.each(Object.entries(inventory))('%s matches the inventory', (name, expected) => {
  const env = environments[name as keyof typeof environments];

  test.each([
    ['controller', 'controller', expected.controllers, '100Gi', { cpu: '4', memory: '8Gi' }],
    ['kafka', 'broker', expected.brokers, '35Ti', { cpu: '8', memory: '32Gi' }],
  ] as const)('node pool %s', (pool, role, ids, size, resources) => {
    const np = findObject(env, 'KafkaNodePool', pool);
    expect(np.apiVersion).toBe('kafka.strimzi.io/v1');
    expect(np.metadata.labels).toEqual({ 'strimzi.io/cluster': 'sasquatch' });
    expect(np.metadata.annotations['strimzi.io/next-node-ids']).toBe(ids.nextNodeIds);
    expect(np.spec.roles).toEqual([role]);
    expect(np.spec.replicas).toBe(ids.replicas);
    expect(np.spec.storage).toEqual({
      type: 'jbod',
      volumes: [{ id: 0, type: 'persistent-claim', size, class: sharedPoolFields.storageClass, deleteClaim: false }],
    });
    expect(np.spec.resources).toEqual({ requests: resources, limits: resources });
    expect(np.spec.template.persistentVolumeClaim.metadata.annotations).toEqual(sharedPoolFields.pvcAnnotations);
    expect(np.spec.template.pod.terminationGracePeriodSeconds).toBe(180);
    expect(np.spec.template.pod.affinity).toEqual(sharedPoolFields.antiAffinity);
    expect(np.spec.template.pod.tolerations).toBeUndefined();
    expect(np.spec.template.pod.securityContext).toEqual({ ...RESTRICTED_POD, fsGroup: 0 });
    expect(np.spec.template.kafkaContainer).toEqual({ securityContext: RESTRICTED_CONTAINER });
    expect(np.spec.template.initContainer).toEqual({ securityContext: RESTRICTED_CONTAINER });
  });

  test('Kafka resource: KRaft, version, listeners, authorization, config, operators', () => {
    const kafka = findObject(env, 'Kafka', 'sasquatch');
    expect(kafka.apiVersion).toBe('kafka.strimzi.io/v1');
    expect(kafka.metadata.annotations).toMatchObject({ 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' });
    expect(kafka.spec.kafka.version).toBe('4.1.0');
    expect(kafka.spec.kafka.metadataVersion).toBeUndefined();
    expect(kafka.spec.kafka.listeners.map((l: any) => [l.name, l.port, l.type, l.tls, l.authentication.type])).toEqual([
      ['plain', 9092, 'internal', false, 'scram-sha-512'],
      ['tls', 9093, 'internal', true, 'tls'],
      ['external', 9094, 'loadbalancer', false, 'scram-sha-512'],
    ]);
    // kafka-admin is the manual's password user, so its super-user principal is its bare name.
    expect(kafka.spec.kafka.authorization).toEqual({ type: 'simple', superUsers: ['kafka-admin'] });
    expect(kafka.spec.kafka.config).toEqual({
      'offsets.topic.replication.factor': 3,
      'transaction.state.log.replication.factor': 3,
      'transaction.state.log.min.isr': 2,
      'default.replication.factor': 3,
      'min.insync.replicas': 2,
      'log.retention.minutes': 10080,
      'offsets.retention.minutes': 10080,
      'replica.lag.time.max.ms': 120000,
      'message.max.bytes': 10485760,
      'replica.fetch.max.bytes': 10485760,
    });
    expect(kafka.spec.kafka.metricsConfig).toEqual({
      type: 'jmxPrometheusExporter',
      valueFrom: { configMapKeyRef: { name: 'kafka-metrics', key: 'kafka-metrics-config.yml' } },
    });
    expect(kafka.spec.maintenanceTimeWindows).toEqual(['0 0 12-13 ? * *']);
    // Requests and limits Phalanx leaves unset.
    const entityOperatorResources = { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } };
    expect(kafka.spec.entityOperator).toEqual({
      topicOperator: { resources: entityOperatorResources },
      userOperator: { resources: entityOperatorResources },
      template: {
        pod: { securityContext: RESTRICTED_POD },
        topicOperatorContainer: { env: [{ name: 'STRIMZI_MAX_QUEUE_SIZE', value: '8192' }], securityContext: RESTRICTED_CONTAINER },
        userOperatorContainer: { securityContext: RESTRICTED_CONTAINER },
      },
    });
    expect(kafka.spec.cruiseControl).toEqual({
      config: { 'max.replicas.per.broker': 20000 },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } },
      template: { pod: { securityContext: RESTRICTED_POD }, cruiseControlContainer: { securityContext: RESTRICTED_CONTAINER } },
    });
    expect(kafka.spec.kafkaExporter).toEqual({
      topicRegex: '.*',
      groupRegex: '.*',
      logging: 'info',
      enableSaramaLogging: false,
      showAllOffsets: true,
      resources: { requests: { cpu: '1', memory: '512Mi' }, limits: { cpu: '2', memory: '1Gi' } },
      template: {
        pod: { metadata: { labels: { 'prometheus.io/scrape': 'true' } }, securityContext: RESTRICTED_POD },
        container: { securityContext: RESTRICTED_CONTAINER },
      },
    });
    // Kafka pods: group 0 on their volumes, as Strimzi would set it had the template not replaced the context.
    expect(kafka.spec.kafka.template).toEqual({
      pod: { securityContext: { ...RESTRICTED_POD, fsGroup: 0 } },
      kafkaContainer: { securityContext: RESTRICTED_CONTAINER },
      initContainer: { securityContext: RESTRICTED_CONTAINER },
    });
  });

  test('external listener pins the bootstrap and every broker to its IP and host', () => {
    const external = findObject(env, 'Kafka', 'sasquatch').spec.kafka.listeners[2];
    expect(external.configuration).toEqual({
      allocateLoadBalancerNodePorts: false,
      bootstrap: {
        annotations: { 'metallb.io/address-pool': 'sdf-dmz', 'metallb.io/loadBalancerIPs': expected.bootstrapIp },
        alternativeNames: [(env.externalListener as any).bootstrap.host],
      },
      brokers: expected.brokerAddresses.map(([broker, host, ip]) => ({
        broker,
        advertisedHost: host,
        advertisedPort: 9094,
        annotations: { 'metallb.io/address-pool': 'sdf-dmz', 'metallb.io/loadBalancerIPs': ip },
      })),
    });
  });

  test("super user kafka-admin: the manual's password user, All on every group and topic", () => {
    const user = findObject(env, 'KafkaUser', 'kafka-admin');
    expect(user.metadata.labels).toEqual({ 'strimzi.io/cluster': 'sasquatch' });
    expect(user.spec).toEqual({
      authentication: { type: 'scram-sha-512', password: { valueFrom: { secretKeyRef: { name: 'sasquatch', key: 'kafka-admin-password' } } } },
      authorization: {
        type: 'simple',
        acls: [
          { type: 'allow', resource: { type: 'group', name: '*', patternType: 'literal' }, operations: ['All'], host: '*' },
          { type: 'allow', resource: { type: 'topic', name: '*', patternType: 'literal' }, operations: ['All'], host: '*' },
        ],
      },
    });
  });

  test('JMX metrics ConfigMap kafka-metrics with per-topic throughput', () => {
    const cm = findObject(env, 'ConfigMap', 'kafka-metrics');
    expect(cm.metadata.labels).toEqual({ app: 'sasquatch-kafka-metrics' });
    const config = cm.data['kafka-metrics-config.yml'];
    expect(config).toMatch(/^lowercaseOutputName: true$/m);
    expect(config).toContain('name=(BytesInPerSec|BytesOutPerSec|MessagesInPerSec), topic=(.+)><>Count');
  });
});
