import { Construct } from 'constructs';
import { KafkaTopic } from '../imports/strimzi-kafkatopic-kafka.strimzi.io';
import { STRIMZI_CLUSTER_LABEL } from './types';
import type { ByteCount, LongOrUnlimited, PositiveCount, PositiveLong, ReplicaCount, TopicName } from './types';

/**
 * Topic settings in Kafka's own names. Only these keys can be set (a typo is
 * a compile error); each overrides the broker default for this topic.
 */
export interface TopicConfig {
  /** How long messages are kept; -1 keeps them forever. Broker default: log.retention.minutes. */
  readonly 'retention.ms'?: LongOrUnlimited;
  /** Size per partition above which the oldest segments are deleted; -1 is unlimited. */
  readonly 'retention.bytes'?: LongOrUnlimited;
  readonly 'cleanup.policy'?: 'delete' | 'compact' | 'compact,delete';
  readonly 'compression.type'?: 'uncompressed' | 'zstd' | 'lz4' | 'snappy' | 'gzip' | 'producer';
  /** Which timestamp messages carry: the producer's or the broker's. */
  readonly 'message.timestamp.type'?: 'CreateTime' | 'LogAppendTime';
  readonly 'max.message.bytes'?: ByteCount;
  readonly 'min.insync.replicas'?: ReplicaCount;
  readonly 'segment.bytes'?: ByteCount;
  readonly 'segment.ms'?: PositiveLong;
}

/** A topic the topic operator creates and keeps in this shape. */
export interface TopicOptions {
  /** Kafka topic name: letters, digits, `.`, `_` and `-`, at most 249 characters. */
  readonly name: TopicName;
  /** Partition count; Kafka can add partitions but never remove them. */
  readonly partitions: PositiveCount;
  /** @default - the cluster's replication factor */
  readonly replicas?: ReplicaCount;
  /** @default - the broker defaults */
  readonly config?: TopicConfig;
}

export interface StreamTopicProps extends TopicOptions {
  /** Name of the Kafka resource the topic belongs to. */
  readonly clusterName: string;
  /** Replication factor used when `replicas` is not set. */
  readonly defaultReplicas: number;
}

/** The KafkaTopic resource name for a topic: Kubernetes names allow no `_` and no capitals. */
export function topicResourceName(topicName: string): string {
  return topicName.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
}

/**
 * A Strimzi KafkaTopic. Topics whose name is not a valid Kubernetes name keep
 * their Kafka name in `spec.topicName`.
 * @stateful Deleting it deletes the topic and its messages.
 */
export class StreamTopic extends Construct {
  public readonly topicName: string;

  constructor(scope: Construct, id: string, props: StreamTopicProps) {
    super(scope, id);
    this.topicName = props.name;
    const resourceName = topicResourceName(props.name);
    const config = props.config && Object.keys(props.config).length > 0 ? { ...props.config } : undefined;
    new KafkaTopic(this, 'Resource', {
      metadata: { name: resourceName, labels: { [STRIMZI_CLUSTER_LABEL]: props.clusterName } },
      spec: {
        topicName: resourceName === props.name ? undefined : props.name,
        partitions: props.partitions,
        replicas: props.replicas ?? props.defaultReplicas,
        config,
      },
    });
  }
}
