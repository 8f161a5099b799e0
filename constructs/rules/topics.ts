import type { Environment } from '../alert-stream-props';
import { topicResourceName } from '../kafka-topic';
import type { Problem } from './problem';

/** Kafka's rule for topic names (kafka.common.internals.Topic). */
const TOPIC_NAME = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC_NAME_LENGTH = 249;

/** Topics the constructs create themselves, so the environment may not declare them again. */
export const RESERVED_TOPICS = ['registry-schemas'];

/** Why `name` cannot be a Kafka topic name, or undefined when it can. */
export function topicNameError(name: string): string | undefined {
  if (name === '.' || name === '..') return `'${name}' is not allowed as a topic name`;
  if (name.length > MAX_TOPIC_NAME_LENGTH) return `'${name.slice(0, 20)}…' has ${name.length} characters; Kafka allows at most ${MAX_TOPIC_NAME_LENGTH}`;
  if (!TOPIC_NAME.test(name)) return `'${name}' is not a valid topic name; use letters, digits, '.', '_' and '-' only`;
  return undefined;
}

/**
 * Managed topics: valid, unique names (Kafka confuses `.` and `_` in metric
 * names, and Kubernetes names fold case), partitions > 0, and a replication
 * factor between 1 and the broker count.
 */
export function checkTopics(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const brokers = env.brokers.nodeIds.length;
  const byKafkaName = new Map<string, string>();
  const byResourceName = new Map<string, string>();
  const external = new Set(env.externalTopics); // new Set(undefined) is empty

  env.topics.forEach((topic, i) => {
    const field = `topics[${i}]`;
    const problem = (sub: string, message: string) =>
      problems.push({ env: env.name, resource: `KafkaTopic/${topic.name}`, field: `${field}.${sub}`, message });

    const nameError = topicNameError(topic.name);
    if (nameError) problem('name', nameError);
    const metricName = topic.name.replace(/\./g, '_');
    const clash = byKafkaName.get(metricName) ?? byResourceName.get(topicResourceName(topic.name));
    if (RESERVED_TOPICS.includes(topic.name)) {
      problem('name', `'${topic.name}' is created by the schema registry; remove it from topics`);
    } else if (clash !== undefined) {
      problem('name', `'${topic.name}' collides with '${clash}' (same name once '.' and '_' or letter case are folded); rename one`);
    }
    byKafkaName.set(metricName, topic.name);
    byResourceName.set(topicResourceName(topic.name), topic.name);
    if (external.has(topic.name)) {
      problem('name', `'${topic.name}' is also listed in externalTopics; a topic is either managed here or external`);
    }

    if (!Number.isInteger(topic.partitions) || topic.partitions < 1) {
      problem('partitions', `${topic.partitions} partitions; a topic needs a whole number of partitions, at least 1`);
    }
    const replicas = topic.replicas ?? env.kafka.replicationFactor;
    const replicasField = topic.replicas === undefined ? 'kafka.replicationFactor' : `${field}.replicas`;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > brokers) {
      problems.push({
        env: env.name,
        resource: `KafkaTopic/${topic.name}`,
        field: replicasField,
        message: `${replicas} replicas, but the cluster has ${brokers} brokers; use a whole number from 1 to ${brokers}`,
      });
    }
  });

  (env.externalTopics ?? []).forEach((name, i) => {
    const nameError = topicNameError(name);
    if (nameError) problems.push({ env: env.name, resource: `KafkaTopic/${name}`, field: `externalTopics[${i}]`, message: nameError });
  });
  return problems;
}
