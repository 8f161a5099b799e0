import type { Environment } from '../constructs/alert-stream-props';

/** Topics every community broker may read. Add a topic here to grant it to all of them. */
const communityReadonlyTopics = [
  'alerts-simulated',
  'lsst-alerts-v10.0',
  'lsst-alerts-reprocessed-v10.0',
  'lsst-alerts-v11',
];

/** USDF development alert stream (Argo CD app `sasquatch` on usdfdev-prompt-processing). */
export const usdfdevPromptProcessing: Environment = {
  name: 'usdfdev-prompt-processing',
  namespace: 'sasquatch',
  host: 'usdfdev-prompt-processing.slac.stanford.edu',
  vaultPathPrefix: 'secret/rubin/usdf-prompt-processing-dev',
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
    nodeIds: [0, 1, 2],
    storageSize: '100Gi',
    storageClass: 'wekafs--sdf-k8s01',
    resources: {
      requests: { cpu: '4', memory: '8Gi' },
      limits: { cpu: '4', memory: '8Gi' },
    },
    podAntiAffinity: 'required',
  },
  brokers: {
    nodeIds: [3, 4, 5, 6, 7],
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
    bootstrap: { host: 'rubin-alert-stream-broker-bootstrap-dev.slac.stanford.edu', ip: '134.79.23.199' },
    brokers: [
      { nodeId: 3, host: 'rubin-alert-stream-broker-3-dev.slac.stanford.edu', ip: '134.79.23.201' },
      { nodeId: 4, host: 'rubin-alert-stream-broker-4-dev.slac.stanford.edu', ip: '134.79.23.203' },
      { nodeId: 5, host: 'rubin-alert-stream-broker-5-dev.slac.stanford.edu', ip: '134.79.23.204' },
      { nodeId: 6, host: 'rubin-alert-stream-broker-6-dev.slac.stanford.edu', ip: '134.79.23.205' },
      { nodeId: 7, host: 'rubin-alert-stream-broker-7-dev.slac.stanford.edu', ip: '134.79.23.206' },
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
  // Granted to community brokers, but created by an older layout and not managed here.
  externalTopics: ['lsst-alerts-v10.0', 'lsst-alerts-reprocessed-v10.0'],
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
    readWrite: [{ username: 'alert-test', topics: [...communityReadonlyTopics, 'alert-stream-test'] }],
    writeOnly: [{ username: 'prompt-alert', topics: [...communityReadonlyTopics, 'alert-stream-test'] }],
  },
  schemaRegistry: {
    ingress: { host: 'rubin-alert-schemas-dev.slac.stanford.edu' },
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
