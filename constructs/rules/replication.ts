import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/**
 * `min.insync.replicas` < replication factor ≤ brokers, for the cluster
 * defaults and for every topic: with min ISR equal to the replica count, one
 * broker restart stops every producer that waits for all replicas; with more
 * replicas than brokers, the topic cannot be created.
 */
export function checkReplication(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const brokers = env.brokers.nodeIds.length;
  const { replicationFactor: rf, minInsyncReplicas: minIsr } = env.kafka;
  const kafka = `Kafka/${env.kafka.name}`;
  const push = (resource: string, field: string, message: string) => problems.push({ env: env.name, resource, field, message });

  if (!Number.isInteger(rf) || rf < 1) push(kafka, 'kafka.replicationFactor', `${rf} is not a whole number of replicas, at least 1`);
  else if (rf > brokers) push(kafka, 'kafka.replicationFactor', `${rf} replicas, but the broker pool has ${brokers} brokers; lower it or add brokers`);
  if (!Number.isInteger(minIsr) || minIsr < 1) push(kafka, 'kafka.minInsyncReplicas', `${minIsr} is not a whole number, at least 1`);
  else if (minIsr >= rf) {
    push(kafka, 'kafka.minInsyncReplicas', `${minIsr} is not below the replication factor (${rf}); one broker restart would stop producers using acks=all. Use at most ${rf - 1}`);
  }

  env.topics.forEach((topic, i) => {
    const override = topic.config?.['min.insync.replicas'];
    const replicas = topic.replicas ?? rf;
    const topicMinIsr = override ?? minIsr;
    if (topicMinIsr >= replicas && replicas >= 1 && (override !== undefined || topic.replicas !== undefined)) {
      const field = override !== undefined ? `topics[${i}].config.min.insync.replicas` : `topics[${i}].replicas`;
      push(`KafkaTopic/${topic.name}`, field,
        `min.insync.replicas ${topicMinIsr} is not below the topic's ${replicas} replicas; one broker restart would stop producers using acks=all`);
    }
  });
  return problems;
}
