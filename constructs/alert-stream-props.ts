/**
 * The props of the whole deployment of the Alert Distribution System (the AlertStream construct), which
 * is what each file in environments/ holds: one environment.
 *
 * Every environment file is an object literal annotated with
 * `Environment`: a misspelled key (excess property) or a missing one is a
 * compile error. The field documentation lives on the construct option types
 * it points to. Values every environment shares are construct defaults, not
 * fields: a field exists only where an operator has a decision to make.
 */
import type { AlertArchiveServerOptions } from './alert-archive-server';
import type { AlertArchiveStorage } from './alert-archive-storage';
import type { AlertDatabaseIngesterOptions } from './alert-database-ingester';
import type { ExternalListenerOptions } from './external-listener';
import type { KafkaClusterOptions } from './kafka-cluster';
import type { TopicOptions } from './kafka-topic';
import type { KafbatOptions } from './kafbat';
import type { NodePoolOptions } from './node-pool';
import type { RegistryIngressOptions } from './registry-ingress';
import type { SchemaRegistryOptions } from './schema-registry';
import type { SchemaSyncOptions } from './schema-sync-job';
import type { StreamUsersOptions } from './user-acls';
import type { IngressController } from './web-ingress';
import type { DataKey, DnsLabel, HostName, Note, ObjectName, PositiveCount, TopicName, VaultPath } from './types';
import type { IngressControllerPods } from './ingress-only-policy';

export type { ByteQuantity, CpuQuantity, Resources, SecretKeyRef, Toleration } from './types';
export type { BrokerConfig, KafkaClusterOptions } from './kafka-cluster';
export type { ExternalListenerOptions, PinnedAddress, PinnedBroker } from './external-listener';
export type { NodePoolOptions, PodAntiAffinity } from './node-pool';
export type { TopicConfig, TopicOptions } from './kafka-topic';
export type { ServiceAccountOptions, StreamUsersOptions } from './user-acls';
export type { IngressController } from './web-ingress';
export type { IngressControllerPods } from './ingress-only-policy';
export type { AlertArchiveServerOptions } from './alert-archive-server';
export type { AlertArchiveStorage } from './alert-archive-storage';
export type { AlertDatabaseIngesterOptions, IngesterAutoscaling } from './alert-database-ingester';
export type { KafbatOptions } from './kafbat';

/** The alert archive: its S3 storage, the ingester that fills it, and the optional HTTP server. */
export interface AlertDatabaseSettings {
  readonly storage: AlertArchiveStorage;
  readonly ingester: AlertDatabaseIngesterOptions;
  /**
   * The archive's HTTP server (read:alertdb). The manual says archive access
   * has moved to Herald; remove this once that is live.
   * @default - no server
   */
  readonly server?: AlertArchiveServerOptions;
}

/** A Secret created outside this project. */
export interface ExternalSecret {
  readonly name: ObjectName;
  readonly keys: readonly DataKey[];
  /** Who creates it, for the next reader. */
  readonly createdBy: Note;
}

/** Metrics of the Kafka cluster, for Prometheus (all in stage 3, with the cluster). */
export interface MonitoringSettings {
  /**
   * Export throughput per topic (bytes in/out, messages in), labelled by topic.
   * Series multiply with the topic count.
   * @default false
   */
  readonly includeTopicMetrics?: boolean;
  /** Export Cruise Control's metrics (ConfigMap `kafka-cruise-control-metrics`). @default false */
  readonly cruiseControlMetrics?: boolean;
  /** Create the Prometheus Operator PodMonitors. @default true */
  readonly podMonitors?: boolean;
  /** Namespace of the Strimzi cluster operator, for its PodMonitor. @default 'strimzi' */
  readonly strimziOperatorNamespace?: DnsLabel;
}

/** The schema registry and where it is published. */
export interface SchemaRegistrySettings extends SchemaRegistryOptions {
  /** The anonymous, read-only public route to the registry. */
  readonly ingress: RegistryIngressOptions;
}

/** One deployment of the Alert Distribution System: the props of `AlertStream`, the data of an environment file. */
export interface AlertStreamProps {
  /** Phalanx environment name; also the folder under `dist/`. */
  readonly name: DnsLabel;
  /**
   * The environment this one takes over from (a rebuilt cluster, a renamed environment): it may keep
   * that one's IPs, hosts and Vault path, which no two environments may otherwise share.
   * @default - none
   */
  readonly replaces?: DnsLabel;
  /** Namespace every object is created in. */
  readonly namespace: DnsLabel;
  /**
   * Vault path prefix of the environment (Phalanx `vaultSecretsPath`); the
   * passwords and keys are read from `<prefix>/sasquatch`.
   * @default - no VaultSecret: create Secret `sasquatch` by hand with the keys
   * `npm run secrets` lists (clusters without the vault-secrets-operator)
   */
  readonly vaultPathPrefix?: VaultPath;
  /** The environment's web host (Phalanx `global.host`): Kafbat and the archive server live under it. */
  readonly host: HostName;
  /** What serves web routes: Gafaelfawr, or plain ingress-nginx on clusters without it. */
  readonly ingressController: IngressController;
  /**
   * Where the ingress controller's pods run: the NetworkPolicies of Kafbat and the archive server,
   * which leave the login to the ingress, admit only them. Required (no default) when either runs. For a
   * virtual cluster whose controller runs on the host cluster, see docs/operations.md.
   * @default - none: only for an environment without Kafbat and without the archive server
   */
  readonly ingressControllerPods?: IngressControllerPods;
  readonly kafka: KafkaClusterOptions;
  /** The KRaft controller quorum (KafkaNodePool `controller`). */
  readonly controllers: NodePoolOptions;
  /** The brokers (KafkaNodePool `kafka`). */
  readonly brokers: NodePoolOptions;
  /**
   * Nodes the Kubernetes cluster can schedule Kafka pods on. When set, synthesis
   * refuses pools whose required anti-affinity needs more (`npm run validate`
   * reports the number needed).
   * @default - unknown: not checked
   */
  readonly schedulableNodes?: PositiveCount;
  /** The public listener community brokers connect to (port 9094). */
  readonly externalListener: ExternalListenerOptions;
  /** Alert topics the topic operator creates and manages. */
  readonly topics: readonly TopicOptions[];
  /**
   * Topics that exist in Kafka but are not managed here (left from older
   * layouts). ACLs may name them; naming any other unmanaged topic is an error.
   * @default - none
   */
  readonly externalTopics?: readonly TopicName[];
  /**
   * Secrets that objects read but this project does not create (and that
   * are not in Vault), each with the keys read from it, e.g. the basic-auth
   * users of an nginx-guarded route. Synthesis refuses a read of any other
   * Secret it does not create.
   * @default - none
   */
  readonly externalSecrets?: readonly ExternalSecret[];
  /** Password users: community brokers, developers and service accounts. */
  readonly users: StreamUsersOptions;
  readonly schemaRegistry: SchemaRegistrySettings;
  /** The job that loads every alert schema into the registry on each sync. */
  readonly schemaSync: SchemaSyncOptions;
  /** The alert archive. @default - none (a cluster without S3) */
  readonly alertDatabase?: AlertDatabaseSettings;
  /** Kafbat, the read-only Kafka web UI at `/kafbat`. @default - none */
  readonly kafbat?: KafbatOptions;
  /**
   * JMX metrics (ConfigMap `kafka-metrics`, read by the Kafka resource) and PodMonitors.
   * @default - no metrics
   */
  readonly monitoring?: MonitoringSettings;
  /**
   * Why the images of this environment are not pinned by digest yet (`tag@sha256:…`). Without it, an image
   * without a digest is refused (constructs/rules/image-digests.ts); with it, checkov's digest check is
   * accepted on each unpinned object with this reason. No `=` (checkov cannot read one in a reason).
   * @default - every image must be pinned by digest
   */
  readonly imagesWithoutDigest?: Note;
}

/** What an environment file holds: the props of one AlertStream. */
export type Environment = AlertStreamProps;
