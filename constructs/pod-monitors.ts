import { Construct } from 'constructs';
import {
  PodMonitor,
  PodMonitorSpec,
  PodMonitorSpecPodMetricsEndpointsRelabelingsAction,
} from '../imports/prometheus-podmonitor-monitoring.coreos.com';
import { STRIMZI_CLUSTER_LABEL } from './types';

export interface PodMonitorsProps {
  /** Name of the Kafka resource. */
  readonly clusterName: string;
  /** Namespace of the Kafka cluster. */
  readonly namespace: string;
  /** Namespace the Strimzi cluster operator runs in. @default 'strimzi' */
  readonly strimziOperatorNamespace?: string;
}

/** Labels by which the two Prometheus setups at USDF pick their PodMonitors. */
const STRIMZI_MONITOR_LABELS = { app: 'strimzi', 'prometheus.io/scrape': 'true' };
const RELEASE_MONITOR_LABELS = { release: 'prometheus' };

/**
 * Prometheus Operator PodMonitors for the Strimzi cluster operator, the
 * entity operator, the Kafka nodes and the Kafka exporter. Each names the
 * namespace its pods run in; the cluster operator's is the operator's own
 * namespace (Phalanx looks for it in the Kafka namespace, where it is not).
 * There is no monitor for a Kafka Bridge: this deployment runs none. No two
 * monitors scrape the same pods on the same port (duplicate series).
 */
export class PodMonitors extends Construct {
  public readonly names: readonly string[];

  constructor(scope: Construct, id: string, props: PodMonitorsProps) {
    super(scope, id);
    const cluster = { [STRIMZI_CLUSTER_LABEL]: props.clusterName };
    const inCluster = { matchNames: [props.namespace] };
    const monitors: Array<[string, Record<string, string>, Omit<PodMonitorSpec, 'namespaceSelector'>, string?]> = [
      ['cluster-operator-metrics', STRIMZI_MONITOR_LABELS, {
        selector: { matchLabels: { 'strimzi.io/kind': 'cluster-operator' } },
        podMetricsEndpoints: [{ port: 'http' }],
      }, props.strimziOperatorNamespace ?? 'strimzi'],
      ['entity-operator-metrics', STRIMZI_MONITOR_LABELS, {
        selector: { matchLabels: { 'app.kubernetes.io/name': 'entity-operator' } },
        podMetricsEndpoints: [{ port: 'healthcheck' }],
      }],
      // Every Kafka node and Cruise Control on tcp-prometheus, once: Phalanx's kafka-broker-monitor scraped
      // the brokers a second time. It carries both label sets so either Prometheus setup still finds the brokers.
      ['kafka-resources-metrics', { ...STRIMZI_MONITOR_LABELS, ...RELEASE_MONITOR_LABELS }, {
        selector: {
          matchLabels: cluster,
          matchExpressions: [{ key: 'strimzi.io/kind', operator: 'In', values: ['Kafka', 'KafkaConnect', 'KafkaMirrorMaker2'] }],
        },
        podMetricsEndpoints: [{
          port: 'tcp-prometheus',
          interval: '30s',
          scrapeTimeout: '20s',
          relabelings: [
            { action: PodMonitorSpecPodMetricsEndpointsRelabelingsAction.LABELMAP, regex: '__meta_kubernetes_pod_label_(strimzi_io_.+)', replacement: '$1' },
            { sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
            { sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'kubernetes_pod_name' },
            { sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node_name' },
            { sourceLabels: ['__meta_kubernetes_pod_host_ip'], targetLabel: 'node_ip' },
          ],
        }],
      }],
      ['kafka-exporter-monitor', RELEASE_MONITOR_LABELS, {
        selector: { matchLabels: { ...cluster, 'strimzi.io/component-type': 'kafka-exporter' } },
        podMetricsEndpoints: [{ port: 'http-metrics', interval: '30s' }],
      }],
    ];
    this.names = monitors.map(([name]) => name);
    for (const [name, labels, spec, namespace] of monitors) {
      new PodMonitor(this, name, {
        metadata: { name, labels },
        spec: { ...spec, namespaceSelector: namespace ? { matchNames: [namespace] } : inCluster },
      });
    }
  }
}
