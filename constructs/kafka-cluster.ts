import { Construct } from 'constructs';
import {
  Kafka,
  KafkaSpecCruiseControlMetricsConfigType,
  KafkaSpecKafkaAuthorizationType,
  KafkaSpecKafkaExporterResourcesLimits,
  KafkaSpecKafkaExporterResourcesRequests,
  KafkaSpecKafkaListenersAuthenticationType,
  KafkaSpecKafkaListenersType,
  KafkaSpecKafkaMetricsConfigType,
} from '../imports/strimzi-kafka-kafka.strimzi.io';
import { ExternalListenerOptions, renderExternalListener } from './external-listener';
import type { ConfigMapKey } from './kafka-metrics';
import { KafkaUserAccount, UserAuthentication } from './kafka-user';
import { strimziContainerSecurity, strimziPodSecurity } from './pod-security';
import { Resources } from './types';
import type { ByteCount, CronExpression, DnsLabel, IntOrUnlimited, KafkaMetadataVersion, KafkaVersion, LongOrUnlimited, ObjectName, PositiveCount, PositiveLong, ReplicaCount } from './types';
import type { VaultBackedSecret } from './vault-secret';

/**
 * Broker settings in Kafka's own names, so they can be looked up in the Kafka
 * docs. Only keys listed here can be set: a typo is a compile error, and keys
 * that Strimzi manages (listeners, advertised.*, node.id, ...) cannot be set.
 */
export interface BrokerConfig {
  /** How long log segments are kept. Kafka default: 10080 (7 days). */
  readonly 'log.retention.minutes'?: IntOrUnlimited;
  /** Per-partition size cap before old segments are deleted; -1 is unlimited. */
  readonly 'log.retention.bytes'?: LongOrUnlimited;
  /** How long the committed offsets of an inactive consumer group are kept. */
  readonly 'offsets.retention.minutes'?: PositiveCount;
  /** How long a follower may lag before it leaves the in-sync replica set. */
  readonly 'replica.lag.time.max.ms'?: PositiveLong;
  /** Largest record batch the broker accepts. @default 10485760 (10 MiB; an alert with cutouts is large) */
  readonly 'message.max.bytes'?: ByteCount;
  /** Bytes a follower fetches per partition; at least `message.max.bytes`. @default 10485760 */
  readonly 'replica.fetch.max.bytes'?: ByteCount;
  /** Whether producing to an unknown topic creates it. Kafka default: true. */
  readonly 'auto.create.topics.enable'?: boolean;
  /** Compression of topics that set none themselves. Kafka default: producer. */
  readonly 'compression.type'?: 'uncompressed' | 'zstd' | 'lz4' | 'snappy' | 'gzip' | 'producer';
}

/** The operator's decisions for the Kafka cluster; they live in the environment file. */
export interface KafkaClusterOptions {
  /**
   * Name of the Kafka resource. Strimzi derives every pod, Service, Secret and
   * PVC name from it (`<name>-kafka-bootstrap`, `<name>-cluster-ca-cert`, ...).
   * @stateful renaming it means a new, empty cluster
   */
  readonly name: DnsLabel;
  /** Kafka version; one the installed Strimzi operator supports. */
  readonly version: KafkaVersion;
  /** @default - Strimzi's default for `version` */
  readonly metadataVersion?: KafkaMetadataVersion;
  /**
   * Replication factor of new topics and of Kafka's internal topics
   * (`default.replication.factor`, `offsets.topic.replication.factor`,
   * `transaction.state.log.replication.factor`). At most the broker count.
   */
  readonly replicationFactor: ReplicaCount;
  /**
   * `min.insync.replicas` and `transaction.state.log.min.isr`. Below the
   * replication factor, so one broker can restart without stopping producers.
   */
  readonly minInsyncReplicas: ReplicaCount;
  /** Further broker settings. */
  readonly config: BrokerConfig;
  /**
   * The super user of DMTN-214 ("Retrieving Kafka superuser credentials"): a
   * password (SCRAM-SHA-512) KafkaUser with every right, whose password is key
   * `<name>-password` of Secret `sasquatch` (Vault; `npm run secrets` lists it).
   * It can log in on every listener that takes passwords, the external one included.
   */
  readonly superUser: ObjectName;
  /**
   * A second super user authenticated by a client certificate (principal
   * `CN=<name>`), for in-cluster tools that use mutual TLS.
   * @default - none
   */
  readonly tlsSuperUser?: ObjectName;
  /**
   * When Strimzi may roll pods to renew certificates: Quartz cron expressions, UTC.
   * @default ['0 0 12-13 ? * *']
   */
  readonly maintenanceTimeWindows?: readonly CronExpression[];
  /**
   * Requests and limits of the Kafka exporter (consumer lag metrics).
   * @default - 1 CPU / 512Mi requested, 2 CPU / 1Gi limit
   */
  readonly kafkaExporterResources?: Resources;
  /**
   * Requests and limits of each entity operator container (topic operator, user operator).
   * @default - 100m CPU / 512Mi requested, 1 CPU / 512Mi limit
   */
  readonly entityOperatorResources?: Resources;
  /**
   * Requests and limits of Cruise Control.
   * @default - 500m CPU / 1Gi requested, 2 CPU / 1Gi limit
   */
  readonly cruiseControlResources?: Resources;
}

export interface KafkaClusterProps extends KafkaClusterOptions {
  /** Namespace the cluster runs in; part of the addresses other namespaces use. */
  readonly namespace: string;
  /** The public listener on port 9094. */
  readonly externalListener: ExternalListenerOptions;
  /** The Secret holding the super user's password under `<superUser>-password`. */
  readonly passwords: VaultBackedSecret;
  /**
   * JMX exporter rules of the Kafka nodes and, optionally, of Cruise Control (see `KafkaMetrics`).
   * @default - no JMX metrics
   */
  readonly metrics?: { readonly kafka: ConfigMapKey; readonly cruiseControl?: ConfigMapKey };
  /**
   * Where the super users' KafkaUser objects go. `superUsers` names principals, not objects, so the cluster
   * does not need them: in a later wave, a super user whose password is missing in Vault (NotReady) holds
   * back only that wave, not the cluster and the registry.
   * @default - beside the Kafka resource
   */
  readonly superUserScope?: Construct;
}

/** The in-cluster listeners. */
export type InternalListener = 'plain' | 'tls';
const INTERNAL_LISTENER_PORTS: Record<InternalListener, number> = { plain: 9092, tls: 9093 };

const DEFAULT_MAINTENANCE_TIME_WINDOWS = ['0 0 12-13 ? * *'];
const DEFAULT_EXPORTER_RESOURCES: Resources = {
  requests: { cpu: '1', memory: '512Mi' },
  limits: { cpu: '2', memory: '1Gi' },
};
const DEFAULT_ENTITY_OPERATOR_RESOURCES: Resources = {
  requests: { cpu: '100m', memory: '512Mi' },
  limits: { cpu: '1', memory: '512Mi' },
};
const DEFAULT_CRUISE_CONTROL_RESOURCES: Resources = {
  requests: { cpu: '500m', memory: '1Gi' },
  limits: { cpu: '2', memory: '1Gi' },
};
const DEFAULT_BROKER_CONFIG: BrokerConfig = {
  'message.max.bytes': 10485760,
  'replica.fetch.max.bytes': 10485760,
};

/**
 * The Strimzi Kafka cluster in KRaft mode with node pools, its three
 * listeners, simple authorization, the entity operator, Cruise Control, the
 * Kafka exporter, and the super users' KafkaUsers.
 * @stateful
 */
export class KafkaCluster extends Construct {
  /** Name of the Kafka resource. */
  public readonly clusterName: string;
  /** Namespace the cluster runs in, for addresses used from other namespaces. */
  public readonly namespace: string;
  /** The super user's account (SCRAM-SHA-512). */
  public readonly superUser: KafkaUserAccount;
  /** Every super user account; `superUsers` in the Kafka resource is their principals. */
  public readonly superUsers: readonly KafkaUserAccount[];

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    this.clusterName = props.name;
    this.namespace = props.namespace;
    const superUser = (id: string, username: string, authentication: UserAuthentication) => new KafkaUserAccount(props.superUserScope ?? this, id, {
      clusterName: props.name,
      username,
      authentication,
      acls: [
        { resource: { type: 'group', name: '*' }, operations: ['All'], host: '*' },
        { resource: { type: 'topic', name: '*' }, operations: ['All'], host: '*' },
      ],
    });
    this.superUser = superUser('SuperUser', props.superUser, {
      type: 'scram-sha-512',
      password: props.passwords.keyRef(`${props.superUser}-password`, `KafkaUser/${props.superUser}`),
    });
    this.superUsers = [
      this.superUser,
      ...(props.tlsSuperUser ? [superUser('TlsSuperUser', props.tlsSuperUser, { type: 'tls' })] : []),
    ];
    const entityOperatorResources = strimziResources(props.entityOperatorResources ?? DEFAULT_ENTITY_OPERATOR_RESOURCES);

    new Kafka(this, 'Resource', {
      metadata: {
        name: props.name,
        annotations: { 'strimzi.io/kraft': 'enabled', 'strimzi.io/node-pools': 'enabled' },
      },
      spec: {
        kafka: {
          version: props.version,
          metadataVersion: props.metadataVersion,
          listeners: [
            {
              name: 'plain',
              port: INTERNAL_LISTENER_PORTS.plain,
              type: KafkaSpecKafkaListenersType.INTERNAL,
              tls: false,
              authentication: { type: KafkaSpecKafkaListenersAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
            },
            {
              name: 'tls',
              port: INTERNAL_LISTENER_PORTS.tls,
              type: KafkaSpecKafkaListenersType.INTERNAL,
              tls: true,
              authentication: { type: KafkaSpecKafkaListenersAuthenticationType.TLS },
            },
            ...[renderExternalListener(props.externalListener)].filter((l) => l !== undefined),
          ],
          authorization: {
            type: KafkaSpecKafkaAuthorizationType.SIMPLE,
            // Each principal follows from its user's authentication type: `name` for a password, `CN=name` for a certificate.
            superUsers: this.superUsers.map((user) => user.principal),
          },
          config: {
            'offsets.topic.replication.factor': props.replicationFactor,
            'transaction.state.log.replication.factor': props.replicationFactor,
            'transaction.state.log.min.isr': props.minInsyncReplicas,
            'default.replication.factor': props.replicationFactor,
            'min.insync.replicas': props.minInsyncReplicas,
            ...DEFAULT_BROKER_CONFIG,
            ...props.config,
          },
          metricsConfig: props.metrics && jmxExporter(props.metrics.kafka),
          // The node pools' templates (KafkaNodePool) set the same; these apply to a pool that sets none.
          template: {
            pod: { securityContext: strimziPodSecurity(true) },
            kafkaContainer: { securityContext: strimziContainerSecurity() },
            initContainer: { securityContext: strimziContainerSecurity() },
          },
        },
        entityOperator: {
          topicOperator: { resources: entityOperatorResources },
          userOperator: { resources: entityOperatorResources },
          template: {
            pod: { securityContext: strimziPodSecurity() },
            userOperatorContainer: { securityContext: strimziContainerSecurity() },
            // Reconciling hundreds of topics and users at once overflows the default queue (1024).
            topicOperatorContainer: { env: [{ name: 'STRIMZI_MAX_QUEUE_SIZE', value: '8192' }], securityContext: strimziContainerSecurity() },
          },
        },
        cruiseControl: {
          config: { 'max.replicas.per.broker': 20000 },
          resources: strimziResources(props.cruiseControlResources ?? DEFAULT_CRUISE_CONTROL_RESOURCES),
          metricsConfig: props.metrics?.cruiseControl && {
            ...jmxExporter(props.metrics.cruiseControl),
            type: KafkaSpecCruiseControlMetricsConfigType.JMX_PROMETHEUS_EXPORTER,
          },
          template: {
            pod: { securityContext: strimziPodSecurity() },
            cruiseControlContainer: { securityContext: strimziContainerSecurity() },
          },
        },
        kafkaExporter: {
          topicRegex: '.*',
          groupRegex: '.*',
          logging: 'info',
          enableSaramaLogging: false,
          showAllOffsets: true,
          resources: strimziResources(props.kafkaExporterResources ?? DEFAULT_EXPORTER_RESOURCES),
          template: {
            pod: { metadata: { labels: { 'prometheus.io/scrape': 'true' } }, securityContext: strimziPodSecurity() },
            container: { securityContext: strimziContainerSecurity() },
          },
        },
        maintenanceTimeWindows: [...(props.maintenanceTimeWindows ?? DEFAULT_MAINTENANCE_TIME_WINDOWS)],
      },
    });
  }

  /**
   * `host:port` of a listener's bootstrap Service: `sasquatch-kafka-bootstrap.sasquatch:9093`,
   * or `sasquatch-kafka-bootstrap:9093` for clients in the cluster's own namespace.
   */
  public bootstrapServers(listener: InternalListener, from: 'any-namespace' | 'same-namespace' = 'any-namespace'): string {
    const host = `${this.clusterName}-kafka-bootstrap`;
    return `${from === 'same-namespace' ? host : `${host}.${this.namespace}`}:${INTERNAL_LISTENER_PORTS[listener]}`;
  }

  /** Labels of the cluster's broker pods (Strimzi's), which serve every listener. */
  public get brokerPodLabels(): Readonly<Record<string, string>> {
    return { 'strimzi.io/cluster': this.clusterName, 'strimzi.io/broker-role': 'true' };
  }

  /** The container port of an internal listener on every broker (the bootstrap Service forwards to it). */
  public listenerPort(listener: InternalListener): number {
    return INTERNAL_LISTENER_PORTS[listener];
  }

  /** Secret with the cluster CA certificate clients verify brokers with (`ca.crt`, `ca.p12`, `ca.password`). */
  public get clusterCaCertSecret(): string {
    return `${this.clusterName}-cluster-ca-cert`;
  }
}

/**
 * Requests and limits in the form every Strimzi component takes. The generated
 * quantity classes of the components differ only in name, so one serves all.
 */
function strimziResources(resources: Resources) {
  const request = KafkaSpecKafkaExporterResourcesRequests.fromString;
  const limit = KafkaSpecKafkaExporterResourcesLimits.fromString;
  return {
    requests: { cpu: request(resources.requests.cpu), memory: request(resources.requests.memory) },
    limits: { cpu: limit(resources.limits.cpu), memory: limit(resources.limits.memory) },
  };
}

/** A `metricsConfig` that reads JMX exporter rules from a ConfigMap. */
function jmxExporter(source: ConfigMapKey) {
  return {
    type: KafkaSpecKafkaMetricsConfigType.JMX_PROMETHEUS_EXPORTER,
    valueFrom: { configMapKeyRef: { name: source.configMapName, key: source.key } },
  };
}
