/**
 * The alert-database ingester and server, Kafbat and the monitoring objects
 * of both environments against the Phalanx inventory (§2.3, §7, §8), plus
 * what Phalanx lacks: the AWS region, requests and limits, and locked-down
 * security contexts.
 */
import { environments } from '../lib/environments';
import { synthesizeEnvironment } from '../lib/synthesize';
import { allObjects } from './helpers';
import { KAFBAT_DEFAULT_TAG } from '../constructs/kafbat';

const usdf = [environments['usdfdev-prompt-processing'], environments['usdfprod-prompt-processing']];

describe.each(usdf)('$name', (env) => {
  const manifests = synthesizeEnvironment(env);
  const objects = allObjects(manifests) as any[];
  const find = (kind: string, name: string) => {
    const found = objects.filter((o) => o.kind === kind && o.metadata.name === name);
    expect(found).toHaveLength(1);
    return found[0];
  };
  const stageOf = (kind: string, name: string) => manifests.find((m) => m.objects.some((o) => o.kind === kind && o.metadata.name === name))?.stage;
  const s3Env = [
    { name: 'AWS_ENDPOINT_URL', value: 'https://sdfdatas3.slac.stanford.edu/' },
    { name: 'AWS_DEFAULT_REGION', value: 'us-east-1' },
    { name: 'AWS_REGION', value: 'us-east-1' },
    { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'sasquatch', key: 'AWS_ACCESS_KEY_ID' } } },
    { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'sasquatch', key: 'AWS_SECRET_ACCESS_KEY' } } },
  ];

  describe('alert-database ingester', () => {
    const deployment = () => find('Deployment', 'alert-database-ingester-1.0.0');

    test('Deployment: image, command and flags, selector, service account, no replicas (KEDA owns them)', () => {
      const d = deployment();
      expect(d.spec).not.toHaveProperty('replicas');
      expect(d.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'alert-database-ingester-1.0.0', 'app.kubernetes.io/instance': 'sasquatch' });
      const pod = d.spec.template.spec;
      expect(pod.serviceAccountName).toBe('alert-database-writer');
      expect(pod.terminationGracePeriodSeconds).toBe(60);
      const [c] = pod.containers;
      expect(c).toMatchObject({ name: 'alert-database-ingester', image: 'lsstdm/alert_database_ingester:v4.2.0', imagePullPolicy: 'IfNotPresent', command: ['alertdb-ingester'] });
      expect(c.args).toEqual([
        '--kafka-host=sasquatch-kafka-bootstrap:9093',
        '--kafka-topics=lsst-alerts-v11',
        '--tls-client-key-location=/etc/kafka-client-secret/user.key',
        '--tls-client-crt-location=/etc/kafka-client-secret/user.crt',
        '--tls-server-ca-crt-location=/etc/kafka-server-ca-cert/ca.crt',
        '--kafka-auth-mechanism=mtls',
        // The environment's intended value; Phalanx ignores it (misspelled key) and renders the default.
        '--schema-registry-address=http://sasquatch-schema-registry:8081',
        '--endpoint-url=https://sdfdatas3.slac.stanford.edu/',
        '--bucket-alerts=rubin-alert-archive',
        '--bucket-schemas=rubin-alert-archive',
        '--verbose',
      ]);
      expect(c.env).toEqual(s3Env);
    });

    test('mounts the Strimzi user and cluster-CA Secrets read-only, and no unused Secret volume', () => {
      const pod = deployment().spec.template.spec;
      expect(pod.volumes).toEqual([
        { name: 'kafka-client-secret', secret: { secretName: 'alert-database-ingester' } },
        { name: 'kafka-server-ca-cert', secret: { secretName: 'sasquatch-cluster-ca-cert' } },
        { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
      ]);
      expect(pod.containers[0].volumeMounts).toEqual([
        { name: 'kafka-client-secret', mountPath: '/etc/kafka-client-secret', readOnly: true },
        { name: 'kafka-server-ca-cert', mountPath: '/etc/kafka-server-ca-cert', readOnly: true },
        { name: 'tmp', mountPath: '/tmp' },
      ]);
    });

    test('ServiceAccount and TLS KafkaUser', () => {
      expect(find('ServiceAccount', 'alert-database-writer').automountServiceAccountToken).toBe(false);
      expect(find('KafkaUser', 'alert-database-ingester').spec).toEqual({
        authentication: { type: 'tls' },
        authorization: {
          type: 'simple',
          acls: [
            { type: 'allow', resource: { type: 'topic', name: 'lsst-alerts-v11', patternType: 'literal' }, operations: ['Read', 'Describe'] },
            // Deliberately narrower than Phalanx (Read on group '*'): its own consumer group only.
            { type: 'allow', resource: { type: 'group', name: 'alertdb-ingester', patternType: 'literal' }, operations: ['Read', 'Describe'] },
          ],
        },
      });
    });

    test('ScaledObject: 1-20 replicas on consumer lag, over mutual TLS', () => {
      expect(find('ScaledObject', 'alert-database-ingester-1.0.0').spec).toEqual({
        scaleTargetRef: { name: 'alert-database-ingester-1.0.0' },
        pollingInterval: 30,
        cooldownPeriod: 900,
        minReplicaCount: 1,
        maxReplicaCount: 20,
        triggers: [{
          type: 'kafka',
          metadata: {
            bootstrapServers: 'sasquatch-kafka-bootstrap.sasquatch:9093',
            consumerGroup: 'alertdb-ingester',
            topic: 'lsst-alerts-v11',
            lagThreshold: '100',
            activationLagThreshold: '10',
            offsetResetPolicy: 'latest',
            tls: 'enable',
          },
          authenticationRef: { name: 'alert-database-ingester-1.0.0-kafka-auth' },
        }],
      });
    });

    test('TriggerAuthentication maps the CA and the client certificate', () => {
      expect(find('TriggerAuthentication', 'alert-database-ingester-1.0.0-kafka-auth').spec).toEqual({
        secretTargetRef: [
          { parameter: 'ca', name: 'sasquatch-cluster-ca-cert', key: 'ca.crt' },
          { parameter: 'cert', name: 'alert-database-ingester', key: 'user.crt' },
          { parameter: 'key', name: 'alert-database-ingester', key: 'user.key' },
        ],
      });
    });
  });

  describe('alert-archive server', () => {
    test('Deployment, ServiceAccount, Service and read:alertdb ingress', () => {
      const d = find('Deployment', 'alert-database-server-1.0.0');
      expect(d.spec.replicas).toBe(1);
      const pod = d.spec.template.spec;
      expect(pod.serviceAccountName).toBe('alertdb-reader');
      const [c] = pod.containers;
      expect(c).toMatchObject({
        name: 'alert-database-server',
        image: 'lsstdm/alert_database_server:v4.0.0',
        imagePullPolicy: 'IfNotPresent', // Phalanx: Always, though the tag is pinned
        command: ['alertdb'],
        args: [
          '--listen-host=0.0.0.0', '--listen-port=3000', '--backend=s3-remote',
          '--endpoint-url=https://sdfdatas3.slac.stanford.edu/', '--bucket-alerts=rubin-alert-archive', '--bucket-schemas=rubin-alert-archive',
          '--verbose',
        ],
        ports: [{ name: 'http', containerPort: 3000, protocol: 'TCP' }],
        // Ready when its health check answers; alive while it accepts connections (a slow S3 must not restart it).
        readinessProbe: { httpGet: { path: '/v1/health', port: 'http' } },
        livenessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 20, failureThreshold: 6 },
      });
      expect(c.env).toEqual(s3Env);
      expect(find('ServiceAccount', 'alertdb-reader')).toMatchObject({ metadata: { name: 'alertdb-reader' }, automountServiceAccountToken: false });
      expect(find('Service', 'sasquatch-alert-database').spec).toEqual({
        type: 'ClusterIP',
        selector: { 'app.kubernetes.io/name': 'alert-database-server-1.0.0', 'app.kubernetes.io/instance': 'sasquatch' },
        ports: [{ name: 'http', port: 3000, targetPort: 'http', protocol: 'TCP' }],
      });
      const ingress = find('GafaelfawrIngress', 'sasquatch-alert-database');
      expect(ingress.config).toEqual({ scopes: { all: ['read:alertdb'] }, service: 'alert-stream-broker' });
      expect(ingress.template.metadata.annotations).toEqual({ 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' });
      expect(ingress.template.spec.rules).toEqual([{
        host: env.host,
        http: { paths: [{ path: '/v1(/|$)(.*)', pathType: 'ImplementationSpecific', backend: { service: { name: 'sasquatch-alert-database', port: { name: 'http' } } } }] },
      }]);
    });
  });

  describe('Kafbat', () => {
    test('Deployment: image, read-only cluster over mTLS on 9093, registry, env, probes, resources', () => {
      const d = find('Deployment', 'kafbat');
      expect(d.spec.replicas).toBe(1);
      const [c] = d.spec.template.spec.containers;
      expect(c).toMatchObject({ image: `ghcr.io/kafbat/kafka-ui:${KAFBAT_DEFAULT_TAG}`, imagePullPolicy: 'IfNotPresent', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] });
      const vars = Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
      expect(vars).toEqual({
        AUTH_TYPE: 'DISABLED',
        SERVER_SERVLET_CONTEXT_PATH: '/kafbat',
        KAFKA_CLUSTERS_0_NAME: 'sasquatch',
        KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS: 'sasquatch-kafka-bootstrap.sasquatch:9093',
        KAFKA_CLUSTERS_0_READONLY: 'true',
        KAFKA_CLUSTERS_0_PROPERTIES_SECURITY_PROTOCOL: 'SSL',
        KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_LOCATION: '/etc/kafka/secrets/ca.p12',
        KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_TYPE: 'PKCS12',
        KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_PASSWORD: { secretKeyRef: { name: 'sasquatch-cluster-ca-cert', key: 'ca.password' } },
        KAFKA_CLUSTERS_0_PROPERTIES_SSL_KEYSTORE_LOCATION: '/etc/kafka/user-secrets/user.p12',
        KAFKA_CLUSTERS_0_PROPERTIES_SSL_KEYSTORE_TYPE: 'PKCS12',
        KAFKA_CLUSTERS_0_PROPERTIES_SSL_KEYSTORE_PASSWORD: { secretKeyRef: { name: 'kafbat', key: 'user.password' } },
        KAFKA_CLUSTERS_0_SCHEMAREGISTRY: 'http://sasquatch-schema-registry.sasquatch:8081',
        KAFKA_CLUSTERS_0_DEFAULTKEYSERDE: 'SchemaRegistry',
        SPRING_CODEC_MAX_IN_MEMORY_SIZE: '20MB',
        KAFKA_CLUSTERS_0_POLLING_INTERVAL: '20',
        KAFKA_CLUSTERS_0_RESOURCELOCKING: 'true',
        LOGGING_LEVEL_ROOT: 'INFO',
        LOGGING_LEVEL_IO_KAFBAT_UI: 'INFO',
      });
      const probe = { httpGet: { path: '/kafbat/actuator/health', port: 'http' }, initialDelaySeconds: 30, timeoutSeconds: 10 };
      // Alive while it accepts connections: a slow health answer (a slow broker) only takes it out of the Service.
      expect(c.livenessProbe).toEqual({ tcpSocket: { port: 'http' }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 6 });
      expect(c.readinessProbe).toEqual({ ...probe, periodSeconds: 5 });
      expect(c.resources).toEqual({
        requests: { 'cpu': '1', 'memory': '2Gi', 'ephemeral-storage': '256Mi' },
        limits: { 'cpu': '2', 'memory': '4Gi', 'ephemeral-storage': '1Gi' },
      });
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
      expect(d.spec.template.spec.automountServiceAccountToken).toBe(false);
    });

    test('Service, exec:internal-tools ingress at /kafbat, and the TLS user on the topic prefixes', () => {
      expect(find('Service', 'kafbat').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
      const ingress = find('GafaelfawrIngress', 'kafbat');
      expect(ingress.config).toEqual({ scopes: { all: ['exec:internal-tools'] }, loginRedirect: true });
      expect(ingress.template.spec.rules).toEqual([{
        host: env.host,
        http: { paths: [{ path: '/kafbat', pathType: 'Prefix', backend: { service: { name: 'kafbat', port: { number: 8080 } } } }] },
      }]);
      expect(find('KafkaUser', 'kafbat').spec.authorization.acls).toEqual([
        { type: 'allow', resource: { type: 'cluster', name: 'kafka-cluster', patternType: 'literal' }, operations: ['Describe', 'DescribeConfigs'], host: '*' },
        // Deliberately narrower than Phalanx (All on group '*'): a read-only UI only describes groups.
        { type: 'allow', resource: { type: 'group', name: '*', patternType: 'literal' }, operations: ['Describe'], host: '*' },
        ...['alert', 'lsst', 'registry'].map((prefix) => ({
          type: 'allow', resource: { type: 'topic', name: prefix, patternType: 'prefix' }, operations: ['Read', 'Describe', 'DescribeConfigs'], host: '*',
        })),
      ]);
    });
  });

  describe('monitoring (stage 3)', () => {
    test.each([
      ['cluster-operator-metrics', { app: 'strimzi', 'prometheus.io/scrape': 'true' }, 'strimzi', { matchLabels: { 'strimzi.io/kind': 'cluster-operator' } }, 'http'],
      ['entity-operator-metrics', { app: 'strimzi', 'prometheus.io/scrape': 'true' }, 'sasquatch', { matchLabels: { 'app.kubernetes.io/name': 'entity-operator' } }, 'healthcheck'],
      ['kafka-resources-metrics', { app: 'strimzi', 'prometheus.io/scrape': 'true', release: 'prometheus' }, 'sasquatch', {
        matchLabels: { 'strimzi.io/cluster': 'sasquatch' },
        matchExpressions: [{ key: 'strimzi.io/kind', operator: 'In', values: ['Kafka', 'KafkaConnect', 'KafkaMirrorMaker2'] }],
      }, 'tcp-prometheus'],
      ['kafka-exporter-monitor', { release: 'prometheus' }, 'sasquatch', { matchLabels: { 'strimzi.io/cluster': 'sasquatch', 'strimzi.io/component-type': 'kafka-exporter' } }, 'http-metrics'],
    ])('PodMonitor %s', (name, labels, namespace, selector, port) => {
      const monitor = find('PodMonitor', name);
      expect(monitor.metadata.labels).toEqual(labels);
      expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [namespace] });
      expect(monitor.spec.selector).toEqual(selector);
      expect(monitor.spec.podMetricsEndpoints[0].port).toBe(port);
      expect(stageOf('PodMonitor', name)).toBe(3);
    });

    test('no two PodMonitors scrape the same pod on the same port (Strimzi 0.51 pod labels and metrics ports)', () => {
      const cluster = { 'strimzi.io/cluster': 'sasquatch', 'strimzi.io/kind': 'Kafka' };
      const pods: Array<[string, string, Record<string, string>, string[]]> = [
        ['broker', 'sasquatch', { ...cluster, 'strimzi.io/name': 'sasquatch-kafka', 'strimzi.io/component-type': 'kafka', 'strimzi.io/pool-name': 'kafka', 'strimzi.io/broker-role': 'true' }, ['tcp-prometheus']],
        ['controller', 'sasquatch', { ...cluster, 'strimzi.io/name': 'sasquatch-kafka', 'strimzi.io/component-type': 'kafka', 'strimzi.io/pool-name': 'controller', 'strimzi.io/controller-role': 'true' }, ['tcp-prometheus']],
        ['cruise control', 'sasquatch', { ...cluster, 'strimzi.io/name': 'sasquatch-cruise-control', 'strimzi.io/component-type': 'cruise-control' }, ['tcp-prometheus']],
        ['exporter', 'sasquatch', { ...cluster, 'strimzi.io/name': 'sasquatch-kafka-exporter', 'strimzi.io/component-type': 'kafka-exporter' }, ['http-metrics']],
        ['entity operator', 'sasquatch', { ...cluster, 'strimzi.io/name': 'sasquatch-entity-operator', 'app.kubernetes.io/name': 'entity-operator' }, ['healthcheck']],
        ['cluster operator', 'strimzi', { 'strimzi.io/kind': 'cluster-operator', name: 'strimzi-cluster-operator' }, ['http']],
      ];
      const selects = (selector: any, labels: Record<string, string>) =>
        Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
        (selector.matchExpressions ?? []).every((e: any) => e.operator === 'In' && e.values.includes(labels[e.key]));
      const monitors = objects.filter((o) => o.kind === 'PodMonitor');
      for (const [pod, namespace, labels, ports] of pods) {
        for (const port of ports) {
          const scraping = monitors.filter((m) => m.spec.namespaceSelector.matchNames.includes(namespace) && selects(m.spec.selector, labels) &&
            m.spec.podMetricsEndpoints.some((e: any) => e.port === port)).map((m) => m.metadata.name);
          expect([pod, port, scraping.length]).toEqual([pod, port, 1]);
        }
      }
    });

    test('kafka-resources-metrics scrapes every 30 s with a 20 s timeout and relabels pod, node and namespace', () => {
      const [endpoint] = find('PodMonitor', 'kafka-resources-metrics').spec.podMetricsEndpoints;
      expect(endpoint).toMatchObject({ interval: '30s', scrapeTimeout: '20s' });
      expect(endpoint.relabelings.map((r: any) => r.targetLabel ?? r.action)).toEqual(['labelmap', 'namespace', 'kubernetes_pod_name', 'node_name', 'node_ip']);
    });

    test('no Cruise Control metrics ConfigMap while its metrics are off', () => {
      expect(objects.some((o) => o.metadata.name === 'kafka-cruise-control-metrics')).toBe(false);
      expect(find('Kafka', 'sasquatch').spec.cruiseControl).not.toHaveProperty('metricsConfig');
    });
  });

  test('every pod runs as non-root, without privilege escalation, with requests and limits', () => {
    for (const o of objects.filter((x) => ['Deployment', 'Job'].includes(x.kind))) {
      const pod = o.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
        expect(c.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(Object.keys(c.resources).sort()).toEqual(['limits', 'requests']);
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'ephemeral-storage', 'memory']);
        // Every image has a pinned tag, so a pull on every start only costs time and a registry dependency.
        expect(c.image).toMatch(/:[^:/]+$/);
        expect([c.name, c.imagePullPolicy]).toEqual([c.name, 'IfNotPresent']);
      }
    }
  });

  test("the Strimzi-run containers have requests and limits too: exporter, both entity operators, Cruise Control", () => {
    const spec = find('Kafka', 'sasquatch').spec;
    for (const resources of [
      spec.kafkaExporter.resources,
      spec.entityOperator.topicOperator.resources,
      spec.entityOperator.userOperator.resources,
      spec.cruiseControl.resources,
    ]) {
      expect(Object.keys(resources.requests).sort()).toEqual(['cpu', 'memory']);
      expect(Object.keys(resources.limits).sort()).toEqual(['cpu', 'memory']);
    }
    expect(spec.entityOperator.topicOperator.resources).toEqual({ requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '512Mi' } });
    expect(spec.cruiseControl.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } });
  });
});
