/**
 * Prometheus JMX exporter rules for KRaft-mode Kafka brokers and controllers.
 * Specific patterns come first: the exporter uses the first rule that matches.
 */

/** One JMX exporter rule (https://github.com/prometheus/jmx_exporter). */
export interface JmxRule {
  readonly pattern: string;
  readonly name?: string;
  readonly type?: 'GAUGE' | 'COUNTER' | 'UNTYPED';
  readonly labels?: Readonly<Record<string, string>>;
  readonly value?: number;
}

/** Per-topic throughput, labelled by topic: what the alert-stream dashboards plot. */
const TOPIC_THROUGHPUT: readonly JmxRule[] = [{
  pattern: 'kafka.server<type=BrokerTopicMetrics, name=(BytesInPerSec|BytesOutPerSec|MessagesInPerSec), topic=(.+)><>Count',
  name: 'kafka_server_brokertopicmetrics_$1_total',
  type: 'COUNTER',
  labels: { topic: '$2' },
}];

const RULES: readonly JmxRule[] = [
  // Client quotas and per-client fetch/produce metrics.
  {
    pattern: 'kafka.server<type=(.+), name=(.+), clientId=(.+), topic=(.+), partition=(.*)><>Value',
    name: 'kafka_server_$1_$2',
    type: 'GAUGE',
    labels: { clientId: '$3', topic: '$4', partition: '$5' },
  },
  {
    pattern: 'kafka.server<type=(.+), name=(.+), clientId=(.+), brokerHost=(.+), brokerPort=(.+)><>Value',
    name: 'kafka_server_$1_$2',
    type: 'GAUGE',
    labels: { clientId: '$3', broker: '$4:$5' },
  },
  // Connections per listener, by TLS cipher and by client software.
  {
    pattern: 'kafka.server<type=(.+), cipher=(.+), protocol=(.+), listener=(.+), networkProcessor=(.+)><>connections',
    name: 'kafka_server_$1_connections_tls_info',
    type: 'GAUGE',
    labels: { cipher: '$2', protocol: '$3', listener: '$4', networkProcessor: '$5' },
  },
  {
    pattern: 'kafka.server<type=(.+), clientSoftwareName=(.+), clientSoftwareVersion=(.+), listener=(.+), networkProcessor=(.+)><>connections',
    name: 'kafka_server_$1_connections_software',
    type: 'GAUGE',
    labels: { clientSoftwareName: '$2', clientSoftwareVersion: '$3', listener: '$4', networkProcessor: '$5' },
  },
  {
    pattern: 'kafka.server<type=(.+), listener=(.+), networkProcessor=(.+)><>(.+-total):',
    name: 'kafka_server_$1_$4',
    type: 'COUNTER',
    labels: { listener: '$2', networkProcessor: '$3' },
  },
  {
    pattern: 'kafka.server<type=(.+), listener=(.+), networkProcessor=(.+)><>(.+):',
    name: 'kafka_server_$1_$4',
    type: 'GAUGE',
    labels: { listener: '$2', networkProcessor: '$3' },
  },
  // KRaft: quorum state of this node, and metadata loading on brokers.
  {
    pattern: 'kafka.server<type=raft-metrics><>(current-state): (.+)',
    name: 'kafka_server_raftmetrics_$1',
    type: 'GAUGE',
    value: 1,
    labels: { $1: '$2' },
  },
  { pattern: 'kafka.server<type=raft-metrics><>(.+-total|.+-max):', name: 'kafka_server_raftmetrics_$1', type: 'COUNTER' },
  { pattern: 'kafka.server<type=raft-metrics><>(.+):', name: 'kafka_server_raftmetrics_$1', type: 'GAUGE' },
  { pattern: 'kafka.server<type=broker-metadata-metrics><>(.+):', name: 'kafka_server_brokermetadatametrics_$1', type: 'GAUGE' },
  // Percentages exposed as rates or values.
  { pattern: 'kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*><>MeanRate', name: 'kafka_$1_$2_$3_percent', type: 'GAUGE' },
  { pattern: 'kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*><>Value', name: 'kafka_$1_$2_$3_percent', type: 'GAUGE' },
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+)Percent\\w*, (.+)=(.+)><>Value',
    name: 'kafka_$1_$2_$3_percent',
    type: 'GAUGE',
    labels: { $4: '$5' },
  },
  // Per-second meters become counters, with up to two labels.
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*, (.+)=(.+), (.+)=(.+)><>Count',
    name: 'kafka_$1_$2_$3_total',
    type: 'COUNTER',
    labels: { $4: '$5', $6: '$7' },
  },
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*, (.+)=(.+)><>Count',
    name: 'kafka_$1_$2_$3_total',
    type: 'COUNTER',
    labels: { $4: '$5' },
  },
  { pattern: 'kafka.(\\w+)<type=(.+), name=(.+)PerSec\\w*><>Count', name: 'kafka_$1_$2_$3_total', type: 'COUNTER' },
  // Gauges (partition counts, under-replicated partitions, controller state, log sizes).
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+), (.+)=(.+)><>Value',
    name: 'kafka_$1_$2_$3',
    type: 'GAUGE',
    labels: { $4: '$5', $6: '$7' },
  },
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+)><>Value',
    name: 'kafka_$1_$2_$3',
    type: 'GAUGE',
    labels: { $4: '$5' },
  },
  { pattern: 'kafka.(\\w+)<type=(.+), name=(.+)><>Value', name: 'kafka_$1_$2_$3', type: 'GAUGE' },
  // Request latency histograms: counts and percentiles.
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+), (.+)=(.+)><>Count',
    name: 'kafka_$1_$2_$3_count',
    type: 'COUNTER',
    labels: { $4: '$5', $6: '$7' },
  },
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.*), (.+)=(.+)><>(\\d+)thPercentile',
    name: 'kafka_$1_$2_$3',
    type: 'GAUGE',
    labels: { $4: '$5', $6: '$7', quantile: '0.$8' },
  },
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.+)><>Count',
    name: 'kafka_$1_$2_$3_count',
    type: 'COUNTER',
    labels: { $4: '$5' },
  },
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+), (.+)=(.*)><>(\\d+)thPercentile',
    name: 'kafka_$1_$2_$3',
    type: 'GAUGE',
    labels: { $4: '$5', quantile: '0.$6' },
  },
  { pattern: 'kafka.(\\w+)<type=(.+), name=(.+)><>Count', name: 'kafka_$1_$2_$3_count', type: 'COUNTER' },
  {
    pattern: 'kafka.(\\w+)<type=(.+), name=(.+)><>(\\d+)thPercentile',
    name: 'kafka_$1_$2_$3',
    type: 'GAUGE',
    labels: { quantile: '0.$4' },
  },
];

/** Cruise Control's own MBeans (`kafka.cruisecontrol`), as gauges. */
export const CRUISE_CONTROL_RULES: readonly JmxRule[] = [
  { pattern: 'kafka.cruisecontrol<name=(.+)><>(\\w+)', name: 'kafka_cruisecontrol_$1_$2', type: 'GAUGE' },
];

/** The exporter configuration, as the object that becomes its YAML file. */
export interface JmxExporterConfig {
  readonly lowercaseOutputName: boolean;
  readonly excludeObjectNames?: readonly string[];
  readonly rules: readonly JmxRule[];
}

/**
 * Exporter configuration for Kafka. Per-topic series multiply with the topic
 * count, so they are opt-in; without them the per-topic MBeans are excluded.
 */
export function kafkaJmxExporterConfig(includeTopicMetrics: boolean): JmxExporterConfig {
  return includeTopicMetrics
    ? { lowercaseOutputName: true, rules: [...TOPIC_THROUGHPUT, ...RULES] }
    : {
      lowercaseOutputName: true,
      excludeObjectNames: ['kafka.server:type=BrokerTopicMetrics,name=*,topic=*', 'kafka.log:type=Log,name=*,topic=*,partition=*'],
      rules: RULES,
    };
}
