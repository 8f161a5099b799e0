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
import type { NodePoolOptions } from '../constructs/node-pool';

export type { ByteQuantity, CpuQuantity, Resources, SecretKeyRef, Toleration } from '../constructs/types';
export type { BrokerConfig, KafkaClusterOptions } from '../constructs/kafka-cluster';
export type { ExternalListenerOptions, PinnedAddress, PinnedBroker } from '../constructs/external-listener';
export type { NodePoolOptions, PodAntiAffinity } from '../constructs/node-pool';

/** The Kafka cluster and its monitoring. */
export interface KafkaSettings extends KafkaClusterOptions {
  /**
   * JMX metrics of brokers and controllers, through ConfigMap `kafka-metrics`.
   * @default - no JMX metrics
   */
  readonly metrics?: KafkaMetricsOptions;
}

/** One deployment of the Alert Distribution System. */
export interface Environment {
  /** Phalanx environment name; also the folder under `dist/`. */
  readonly name: string;
  /** Namespace every object is created in. */
  readonly namespace: string;
  readonly kafka: KafkaSettings;
  /** The KRaft controller quorum (KafkaNodePool `controller`). */
  readonly controllers: NodePoolOptions;
  /** The brokers (KafkaNodePool `kafka`). */
  readonly brokers: NodePoolOptions;
  /** The public listener community brokers connect to (port 9094). */
  readonly externalListener: ExternalListenerOptions;
}
