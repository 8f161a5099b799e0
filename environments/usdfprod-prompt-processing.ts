import type { Environment } from '../constructs/alert-stream-props';

/** Topics every community broker may read. Add a topic here to grant it to all of them. */
const communityReadonlyTopics = [
  'alerts-simulated',
  'lsst-alerts-v11',
];

/** USDF production alert stream (Argo CD app `sasquatch` on usdfprod-prompt-processing). */
export const usdfprodPromptProcessing: Environment = {
  name: 'usdfprod-prompt-processing',
  namespace: 'sasquatch',
  host: 'usdfprod-prompt-processing.slac.stanford.edu',
  vaultPathPrefix: 'secret/rubin/usdf-prompt-processing',
  ingressController: 'gafaelfawr',
  // The NetworkPolicies of Kafbat and the archive server admit only these pods. This is what the output has
  // always admitted (ingress-nginx of this cluster). Prompt processing at USDF runs in a vcluster whose
  // controller runs on the host cluster: confirm with USDF (docs/operations.md, "NetworkPolicies in a vcluster").
  ingressControllerPods: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  kafka: {
    name: 'sasquatch',
    version: '4.1.0',
    replicationFactor: 3,
    minInsyncReplicas: 2,
    config: {
      'log.retention.minutes': 10080,
      'offsets.retention.minutes': 10080,
      'replica.lag.time.max.ms': 120000,
    },
    superUser: 'kafka-admin',
  },
  controllers: {
    nodeIds: [0, 1, 2, 3, 4],
    storageSize: '100Gi',
    storageClass: 'wekafs--sdf-k8s01',
    resources: {
      requests: { cpu: '4', memory: '8Gi' },
      limits: { cpu: '4', memory: '8Gi' },
    },
    podAntiAffinity: 'required',
  },
  brokers: {
    nodeIds: [5, 6, 7, 8, 9],
    storageSize: '35Ti',
    storageClass: 'wekafs--sdf-k8s01',
    resources: {
      requests: { cpu: '8', memory: '32Gi' },
      limits: { cpu: '8', memory: '32Gi' },
    },
    podAntiAffinity: 'required',
  },
  externalListener: {
    type: 'loadbalancer',
    addressPool: 'sdf-dmz',
    // Plaintext (SCRAM over TCP), as today, by choice: README "The external listener: TLS or plaintext".
    tls: false,
    bootstrap: { host: 'rubin-alert-stream-bootstrap.slac.stanford.edu', ip: '134.79.23.209' },
    // Not in id order: .210 and .211 moved to brokers 8 and 9 when brokers 3 and 4 were retired.
    brokers: [
      { nodeId: 5, host: 'rubin-alert-stream-broker-5.slac.stanford.edu', ip: '134.79.23.212' },
      { nodeId: 6, host: 'rubin-alert-stream-broker-6.slac.stanford.edu', ip: '134.79.23.213' },
      { nodeId: 7, host: 'rubin-alert-stream-broker-7.slac.stanford.edu', ip: '134.79.23.215' },
      { nodeId: 8, host: 'rubin-alert-stream-broker-8.slac.stanford.edu', ip: '134.79.23.210' },
      { nodeId: 9, host: 'rubin-alert-stream-broker-9.slac.stanford.edu', ip: '134.79.23.211' },
    ],
  },
  topics: [
    { name: 'alert-stream-test', partitions: 400 },
    { name: 'alerts-simulated', partitions: 45 },
    {
      name: 'lsst-alerts-v11',
      partitions: 45,
      // 300 GB per partition or about 30 days (2629740000 ms), whichever comes first.
      config: { 'retention.bytes': 300000000000, 'retention.ms': 2629740000 },
    },
  ],
  users: {
    communityReadonlyTopics,
    communityBrokers: [
      'alerce-usdf',
      'ampel-usdf',
      'antares-usdf',
      'babamul-usdf',
      'fink-usdf',
      'lasair-usdf',
      'pittgoogle-usdf',
      'poi-usdf',
      'snaps-usdf',
    ],
    developers: ['rubin-devel-idfint'],
    readWrite: [],
    writeOnly: [{ username: 'prompt-alert', topics: communityReadonlyTopics }],
  },
  schemaRegistry: {
    ingress: { host: 'rubin-alert-schemas.slac.stanford.edu' },
  },
  schemaSync: { imageTag: 'w.2026.28' },
  monitoring: { includeTopicMetrics: true },
  alertDatabase: {
    storage: {
      endpointUrl: 'https://sdfdatas3.slac.stanford.edu/',
      alertBucket: 'rubin-alert-archive',
      schemaBucket: 'rubin-alert-archive',
    },
    ingester: {
      imageTag: 'v4.2.0',
      topic: 'lsst-alerts-v11',
      serviceAccountName: 'alert-database-writer',
      autoscaling: { minReplicas: 1, maxReplicas: 20, cooldownSeconds: 900 },
    },
    server: { imageTag: 'v4.0.0' },
  },
  kafbat: {
    resources: {
      requests: { cpu: '1', memory: '2Gi' },
      limits: { cpu: '2', memory: '4Gi' },
    },
    topicPrefixes: ['alert', 'lsst', 'registry'],
  },
  imagesWithoutDigest: 'digests not yet looked up (issue 25: no registry reachable where they were to be added); Renovate pins them',
};
