/**
 * The shape of one deployment of the Alert Distribution System.
 *
 * Every environment file in this folder is an object literal annotated with
 * `Environment`: a misspelled key (excess property) or a missing one is a
 * compile error. The field documentation lives on the construct option types
 * it points to. Values every environment shares are construct defaults, not
 * fields: a field exists only where an operator has a decision to make.
 */
import type { ExternalListenerOptions } from '../constructs/external-listener';
import type { KafkaClusterOptions } from '../constructs/kafka-cluster';
import type { KafkaMetricsOptions } from '../constructs/kafka-metrics';
import type { TopicOptions } from '../constructs/kafka-topic';
import type { NodePoolOptions } from '../constructs/node-pool';
import type { RegistryIngressOptions } from '../constructs/registry-ingress';
import type { SchemaRegistryOptions } from '../constructs/schema-registry';
import type { SchemaSyncOptions } from '../constructs/schema-sync-job';
import type { StreamUsersOptions } from '../constructs/user-acls';
import type { IngressController } from '../constructs/web-ingress';

export type { ByteQuantity, CpuQuantity, Resources, SecretKeyRef, Toleration } from '../constructs/types';
export type { BrokerConfig, KafkaClusterOptions } from '../constructs/kafka-cluster';
export type { ExternalListenerOptions, PinnedAddress, PinnedBroker } from '../constructs/external-listener';
export type { NodePoolOptions, PodAntiAffinity } from '../constructs/node-pool';
export type { TopicConfig, TopicOptions } from '../constructs/kafka-topic';
export type { ServiceAccountOptions, StreamUsersOptions } from '../constructs/user-acls';
export type { IngressController } from '../constructs/web-ingress';

/** The Kafka cluster and its monitoring. */
export interface KafkaSettings extends KafkaClusterOptions {
  /**
   * JMX metrics of brokers and controllers, through ConfigMap `kafka-metrics`.
   * @default - no JMX metrics
   */
  readonly metrics?: KafkaMetricsOptions;
}

/** The schema registry and where it is published. */
export interface SchemaRegistrySettings extends SchemaRegistryOptions {
  /** The anonymous, read-only public route to the registry. */
  readonly ingress: RegistryIngressOptions;
}

/** One deployment of the Alert Distribution System. */
export interface Environment {
  /** Phalanx environment name; also the folder under `dist/`. */
  readonly name: string;
  /** Namespace every object is created in. */
  readonly namespace: string;
  /**
   * Vault path prefix of the environment (Phalanx `vaultSecretsPath`); the
   * passwords and keys are read from `<prefix>/sasquatch`.
   */
  readonly vaultPathPrefix: string;
  /** What serves web routes: Gafaelfawr, or plain ingress-nginx on clusters without it. */
  readonly ingressController: IngressController;
  readonly kafka: KafkaSettings;
  /** The KRaft controller quorum (KafkaNodePool `controller`). */
  readonly controllers: NodePoolOptions;
  /** The brokers (KafkaNodePool `kafka`). */
  readonly brokers: NodePoolOptions;
  /** The public listener community brokers connect to (port 9094). */
  readonly externalListener: ExternalListenerOptions;
  /** Alert topics the topic operator creates and manages. */
  readonly topics: readonly TopicOptions[];
  /**
   * Topics that exist in Kafka but are not managed here (left from older
   * layouts). ACLs may name them; naming any other unmanaged topic is an error.
   * @default - none
   */
  readonly externalTopics?: readonly string[];
  /** Password users: community brokers, developers and service accounts. */
  readonly users: StreamUsersOptions;
  readonly schemaRegistry: SchemaRegistrySettings;
  /** The job that loads every alert schema into the registry on each sync. */
  readonly schemaSync: SchemaSyncOptions;
}
