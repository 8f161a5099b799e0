import { Construct } from 'constructs';
import type { KafkaCluster } from './kafka-cluster';
import { AclRule, KafkaUserAccount } from './kafka-user';
import { EnvVar, IntOrString } from './k8s';
import { IngressControllerPods, IngressOnlyPolicy } from './ingress-only-policy';
import { RestrictedDeployment } from './restricted-deployment';
import { SCHEMA_REGISTRY_PORT } from './schema-registry';
import { WorkloadNetworkPolicy } from './workload-network-policy';
import type { Resources } from './types';
import { IngressController, WebIngress } from './web-ingress';
import type { ImageTag, TopicPrefix } from './types';

/**
 * Kafbat's image unless an environment sets another: v1.5.0 pinned by digest. The digest is the one public projects
 * pin for this tag (no registry is reachable where it was written; `crane digest ghcr.io/kafbat/kafka-ui:v1.5.0`
 * confirms it); Renovate updates tag and digest together (renovate.json, test/renovate.test.ts).
 */
export const KAFBAT_DEFAULT_TAG = 'v1.5.0@sha256:7cda86a33344160309fdb65146332e4da65db81a945614f2fe32e210803f6fd1';

/** The operator's decisions for Kafbat. */
export interface KafbatOptions {
  /** @default KAFBAT_DEFAULT_TAG (ghcr.io/kafbat/kafka-ui v1.5.0 by digest) */
  readonly imageTag?: ImageTag;
  readonly resources: Resources;
  /** Topic name prefixes Kafbat may read (and show). */
  readonly topicPrefixes: readonly TopicPrefix[];
}

export interface KafbatProps extends KafbatOptions {
  readonly kafka: KafkaCluster;
  /** Registry URL from any namespace. */
  readonly registryUrl: string;
  /** Labels of the schema registry's pods (egress to them on SCHEMA_REGISTRY_PORT). */
  readonly registryPodLabels: Readonly<Record<string, string>>;
  /** The environment's host name; Kafbat answers under `/kafbat`. */
  readonly host: string;
  readonly ingressController: IngressController;
  /** The ingress controller's pods, the only ones let in. */
  readonly ingressControllerPods: IngressControllerPods;
}

const NAME = 'kafbat';
const PORT = 8080;
const PATH = '/kafbat';
const CA_DIR = '/etc/kafka/secrets';
const USER_DIR = '/etc/kafka/user-secrets';

/**
 * Kafbat, the Kafka web UI, in read-only mode over mutual TLS on the `tls`
 * listener, behind Gafaelfawr (`exec:internal-tools`). Kafbat itself checks no
 * login, so a NetworkPolicy lets only the ingress controller reach it. Its
 * KafkaUser may describe the cluster and the consumer groups, and read the
 * environment's topic prefixes: nothing it could change.
 */
export class Kafbat extends Construct {
  public readonly user: KafkaUserAccount;

  constructor(scope: Construct, id: string, props: KafbatProps) {
    super(scope, id);
    const caSecret = props.kafka.clusterCaCertSecret;
    this.user = new KafkaUserAccount(this, 'User', {
      clusterName: props.kafka.clusterName,
      username: NAME,
      authentication: { type: 'tls' },
      acls: [
        { resource: { type: 'cluster', name: 'kafka-cluster' }, operations: ['Describe', 'DescribeConfigs'], host: '*' },
        // Read-only: list consumer groups and their offsets; never join, commit or delete (Phalanx grants All).
        { resource: { type: 'group', name: '*' }, operations: ['Describe'], host: '*' },
        ...props.topicPrefixes.map((prefix): AclRule => ({
          resource: { type: 'topic', name: prefix, patternType: 'prefix' },
          operations: ['Read', 'Describe', 'DescribeConfigs'],
          host: '*',
        })),
      ],
    });

    const env = (name: string, value: string): EnvVar => ({ name, value });
    const fromSecret = (name: string, secret: string, key: string): EnvVar =>
      ({ name, valueFrom: { secretKeyRef: { name: secret, key } } });
    const health = { httpGet: { path: `${PATH}/actuator/health`, port: IntOrString.fromString('http') }, initialDelaySeconds: 30, timeoutSeconds: 10 };
    const deployment = new RestrictedDeployment(this, 'Deployment', {
      name: NAME,
      replicas: 1,
      resources: props.resources,
      tmpSize: '512Mi',
      acceptedCheckov: { CKV_K8S_35: 'the keystore and truststore passwords are environment variables because Kafbat takes its cluster settings from its environment (Spring)' },
      container: {
        name: NAME,
        image: `ghcr.io/kafbat/kafka-ui:${props.imageTag ?? KAFBAT_DEFAULT_TAG}`,
        imagePullPolicy: 'IfNotPresent',
        ports: [{ name: 'http', containerPort: PORT, protocol: 'TCP' }],
        env: [
          env('AUTH_TYPE', 'DISABLED'), // Gafaelfawr authenticates
          env('SERVER_SERVLET_CONTEXT_PATH', PATH),
          env('KAFKA_CLUSTERS_0_NAME', props.kafka.clusterName),
          env('KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS', props.kafka.bootstrapServers('tls')),
          env('KAFKA_CLUSTERS_0_READONLY', 'true'),
          env('KAFKA_CLUSTERS_0_PROPERTIES_SECURITY_PROTOCOL', 'SSL'),
          env('KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_LOCATION', `${CA_DIR}/ca.p12`),
          env('KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_TYPE', 'PKCS12'),
          fromSecret('KAFKA_CLUSTERS_0_PROPERTIES_SSL_TRUSTSTORE_PASSWORD', caSecret, 'ca.password'),
          env('KAFKA_CLUSTERS_0_PROPERTIES_SSL_KEYSTORE_LOCATION', `${USER_DIR}/user.p12`),
          env('KAFKA_CLUSTERS_0_PROPERTIES_SSL_KEYSTORE_TYPE', 'PKCS12'),
          fromSecret('KAFKA_CLUSTERS_0_PROPERTIES_SSL_KEYSTORE_PASSWORD', NAME, 'user.password'),
          env('KAFKA_CLUSTERS_0_SCHEMAREGISTRY', props.registryUrl),
          env('KAFKA_CLUSTERS_0_DEFAULTKEYSERDE', 'SchemaRegistry'),
          env('SPRING_CODEC_MAX_IN_MEMORY_SIZE', '20MB'),
          env('KAFKA_CLUSTERS_0_POLLING_INTERVAL', '20'),
          env('KAFKA_CLUSTERS_0_RESOURCELOCKING', 'true'),
          env('LOGGING_LEVEL_ROOT', 'INFO'),
          env('LOGGING_LEVEL_IO_KAFBAT_UI', 'INFO'),
        ],
        // Alive while it accepts connections: a slow health answer (a broker slow to respond) only makes it unready.
        livenessProbe: { tcpSocket: { port: IntOrString.fromString('http') }, initialDelaySeconds: 30, periodSeconds: 20, failureThreshold: 6 },
        readinessProbe: { ...health, periodSeconds: 5 },
        volumeMounts: [
          { name: 'cluster-ca', mountPath: CA_DIR, readOnly: true },
          { name: 'user-secret', mountPath: USER_DIR, readOnly: true },
        ],
      },
      volumes: [
        { name: 'cluster-ca', secret: { secretName: caSecret } },
        { name: 'user-secret', secret: { secretName: NAME } },
      ],
    });
    deployment.exposeHttp(NAME, PORT);
    new WorkloadNetworkPolicy(this, 'Egress', {
      name: NAME,
      podLabels: deployment.podLabels,
      pods: [
        { podLabels: props.kafka.brokerPodLabels, ports: [props.kafka.listenerPort('tls')] },
        { podLabels: props.registryPodLabels, ports: [SCHEMA_REGISTRY_PORT] },
      ],
      ingress: 'own',
    });
    new IngressOnlyPolicy(this, 'NetworkPolicy', {
      name: NAME, podLabels: deployment.podLabels, port: PORT, ingressController: props.ingressControllerPods,
    });
    new WebIngress(this, 'Ingress', {
      name: NAME,
      controller: props.ingressController,
      host: props.host,
      path: PATH,
      pathType: 'Prefix',
      backend: { serviceName: NAME, port: PORT },
      access: { scopes: ['exec:internal-tools'], loginRedirect: true },
    });
  }
}
