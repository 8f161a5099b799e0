import { Construct } from 'constructs';
import { toYaml } from './yaml';
import { CRUISE_CONTROL_RULES, JmxExporterConfig, kafkaJmxExporterConfig } from './jmx-exporter-rules';
import { ConfigMap } from './plus';

/** A key of a ConfigMap another object reads its configuration from. */
export interface ConfigMapKey {
  readonly configMapName: string;
  readonly key: string;
}

export interface KafkaMetricsProps {
  /** Name of the Kafka resource whose metrics these are. */
  readonly clusterName: string;
  /** Export throughput per topic, labelled by topic. @default false */
  readonly includeTopicMetrics?: boolean;
  /** Also export Cruise Control's metrics. @default false */
  readonly cruiseControl?: boolean;
}

/**
 * The ConfigMaps of Prometheus JMX exporter rules the Kafka resource's
 * `metricsConfig` (and Cruise Control's) point to. They must exist before the
 * Kafka resource, or Strimzi refuses to reconcile the cluster.
 */
export class KafkaMetrics extends Construct {
  /** The Kafka brokers' and controllers' exporter rules. */
  public readonly kafka: ConfigMapKey;
  /** Cruise Control's exporter rules, when enabled. */
  public readonly cruiseControl?: ConfigMapKey;

  constructor(scope: Construct, id: string, props: KafkaMetricsProps) {
    super(scope, id);
    const labels = { app: `${props.clusterName}-kafka-metrics` };
    this.kafka = exporterConfigMap(this, 'Kafka', 'kafka-metrics', 'kafka-metrics-config.yml', labels,
      kafkaJmxExporterConfig(props.includeTopicMetrics ?? false));
    if (props.cruiseControl) {
      this.cruiseControl = exporterConfigMap(this, 'CruiseControl', 'kafka-cruise-control-metrics', 'metrics-config.yml', labels,
        { lowercaseOutputName: true, rules: CRUISE_CONTROL_RULES });
    }
  }
}

function exporterConfigMap(scope: Construct, id: string, name: string, key: string,
  labels: Record<string, string>, config: JmxExporterConfig): ConfigMapKey {
  new ConfigMap(scope, id, { metadata: { name, labels }, data: { [key]: toYaml(config) } });
  return { configMapName: name, key };
}
