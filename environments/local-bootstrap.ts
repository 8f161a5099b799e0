import type { Environment } from '../constructs/alert-stream-props';

/**
 * A new cluster without MetalLB, Gafaelfawr, Vault, KEDA, S3 or Prometheus
 * Operator: kind, minikube, or a fresh USDF cluster before those arrive.
 * Needs only the Strimzi and strimzi-registry-operator operators and
 * ingress-nginx. Copy it to start the next real environment, then put back
 * what that cluster has (see environments/usdfprod-prompt-processing.ts).
 *
 * Before `npm run bootstrap`-style deployment (see bootstrap/README.md):
 *   kubectl create namespace sasquatch
 *   npm run secrets -- --env local-bootstrap    # the Secret `sasquatch` to create by hand
 *   htpasswd -c auth admin && kubectl -n sasquatch create secret generic kafbat-basic-auth --from-file=auth
 */
export const localBootstrap: Environment = {
  name: 'local-bootstrap',
  namespace: 'sasquatch',
  // *.localtest.me resolves to 127.0.0.1: with kind's port mappings the ingresses answer on localhost.
  host: 'alert-stream.localtest.me',
  ingressController: 'nginx',
  // The NetworkPolicies of Kafbat and the archive server admit only these pods: ingress-nginx of this cluster.
  ingressControllerPods: { namespace: 'ingress-nginx', podLabels: { 'app.kubernetes.io/name': 'ingress-nginx' } },
  kafka: {
    name: 'sasquatch',
    version: '4.1.0',
    replicationFactor: 2,
    minInsyncReplicas: 1,
    config: {
      'log.retention.minutes': 1440,
      'offsets.retention.minutes': 10080,
    },
    superUser: 'kafka-admin',
    kafkaExporterResources: {
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '250m', memory: '256Mi' },
    },
    entityOperatorResources: {
      requests: { cpu: '50m', memory: '384Mi' },
      limits: { cpu: '500m', memory: '384Mi' },
    },
    cruiseControlResources: {
      requests: { cpu: '100m', memory: '512Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    },
  },
  controllers: {
    nodeIds: [0],
    storageSize: '5Gi',
    resources: {
      requests: { cpu: '250m', memory: '768Mi' },
      limits: { cpu: '1', memory: '768Mi' },
    },
    // One node: spread when possible, never refuse to schedule.
    podAntiAffinity: 'preferred',
    terminationGracePeriodSeconds: 30,
  },
  brokers: {
    // Two brokers: the least for min.insync.replicas below the replication factor, and for Cruise Control.
    nodeIds: [1, 2],
    storageSize: '10Gi',
    resources: {
      requests: { cpu: '250m', memory: '1Gi' },
      limits: { cpu: '1', memory: '1Gi' },
    },
    podAntiAffinity: 'preferred',
    terminationGracePeriodSeconds: 30,
  },
  schedulableNodes: 1,
  externalListener: {
    type: 'nodeport',
    // kind: map these node ports to the host with extraPortMappings (bootstrap/README.md).
    advertisedHost: 'localhost',
    bootstrapNodePort: 31090,
    brokers: [
      { nodeId: 1, nodePort: 31091 },
      { nodeId: 2, nodePort: 31092 },
    ],
  },
  externalSecrets: [
    { name: 'kafbat-basic-auth', keys: ['auth'], createdBy: 'the operator: htpasswd -c auth <user>, then kubectl create secret generic --from-file=auth' },
  ],
  topics: [
    { name: 'alerts-simulated', partitions: 3 },
    { name: 'lsst-alerts-v11', partitions: 3, config: { 'retention.ms': 86400000 } },
  ],
  users: {
    communityReadonlyTopics: ['alerts-simulated', 'lsst-alerts-v11'],
    communityBrokers: ['test-broker'],
    developers: ['rubin-devel'],
    readWrite: [],
    writeOnly: [{ username: 'prompt-alert', topics: ['alerts-simulated', 'lsst-alerts-v11'] }],
  },
  schemaRegistry: {
    replicas: 1,
    resources: {
      requests: { cpu: '50m', memory: '384Mi' },
      limits: { cpu: '500m', memory: '512Mi' },
    },
    ingress: { host: 'alert-schemas.localtest.me' },
  },
  schemaSync: { imageTag: 'w.2026.28' },
  monitoring: { podMonitors: false },
  kafbat: {
    resources: {
      requests: { cpu: '100m', memory: '512Mi' },
      limits: { cpu: '1', memory: '1Gi' },
    },
    topicPrefixes: ['alert', 'lsst', 'registry'],
  },
  imagesWithoutDigest: 'digests not yet looked up (issue 25: no registry reachable where they were to be added); Renovate pins them',
};
