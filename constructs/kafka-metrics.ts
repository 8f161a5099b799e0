import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { kafkaJmxExporterConfig } from './jmx-exporter-rules';
import { KubeConfigMap } from './k8s';

export interface KafkaMetricsOptions {
  /**
   * Export throughput per topic (bytes in/out, messages in), labelled by topic.
   * @default false
   */
  readonly includeTopicMetrics?: boolean;
}

export interface KafkaMetricsProps extends KafkaMetricsOptions {
  /** Name of the Kafka resource whose metrics these are. */
  readonly clusterName: string;
}

/**
 * The ConfigMap of Prometheus JMX exporter rules the Kafka resource's
 * `metricsConfig` points to. It must exist before the Kafka resource, or
 * Strimzi refuses to reconcile the cluster.
 */
export class KafkaMetrics extends Construct {
  /** Name of the ConfigMap. */
  public readonly configMapName = 'kafka-metrics';
  /** Key of the exporter configuration in the ConfigMap. */
  public readonly key = 'kafka-metrics-config.yml';

  constructor(scope: Construct, id: string, props: KafkaMetricsProps) {
    super(scope, id);
    const config = kafkaJmxExporterConfig(props.includeTopicMetrics ?? false);
    new KubeConfigMap(this, 'Resource', {
      metadata: { name: this.configMapName, labels: { app: `${props.clusterName}-kafka-metrics` } },
      data: { [this.key]: stringify(config, { lineWidth: 0 }) },
    });
  }
}
