import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/** How many Kubernetes nodes the Kafka cluster's pods need, and why. */
export interface SchedulingReport {
  readonly requiredNodes: number;
  readonly explanation: string;
}

/**
 * Pods of a pool with `required` anti-affinity may share a node with no pod of
 * the cluster (the rule is symmetric), so each needs a node of its own. The
 * cluster's other pods — entity operator, Cruise Control, Kafka exporter and
 * pools without the rule — can share one more node.
 */
export function schedulingReport(env: Environment): SchedulingReport {
  const pools = [
    { name: 'controllers', pool: env.controllers },
    { name: 'brokers', pool: env.brokers },
  ];
  const exclusive = pools.filter((p) => p.pool.podAntiAffinity === 'required');
  const exclusivePods = exclusive.reduce((n, p) => n + p.pool.nodeIds.length, 0);
  const parts = exclusive.map((p) => `${p.pool.nodeIds.length} ${p.name}`);
  // The entity operator, Cruise Control and the Kafka exporter always run.
  const sharedPods = ['entity operator, Cruise Control, Kafka exporter', ...pools.filter((p) => p.pool.podAntiAffinity !== 'required').map((p) => p.name)];
  // Without an exclusive pool that is the one shared node.
  const requiredNodes = exclusivePods + 1;
  const explanation = exclusive.length > 0
    ? `${parts.join(' + ')} with required anti-affinity, one node each, + 1 shared by the ${sharedPods.join(', ')}`
    : 'no pool requires a node of its own';
  return { requiredNodes, explanation };
}

/** When the environment says how many nodes its cluster has, the required anti-affinity must fit. */
export function checkScheduling(env: Environment): Problem[] {
  const available = env.schedulableNodes;
  const { requiredNodes, explanation } = schedulingReport(env);
  if (available === undefined || available >= requiredNodes) return [];
  return [{
    env: env.name,
    resource: 'KafkaNodePool/*',
    field: 'schedulableNodes',
    message: `the Kafka pods need at least ${requiredNodes} nodes (${explanation}) but the cluster has ${available}; ` +
      "add nodes, or set podAntiAffinity to 'preferred'",
  }];
}
