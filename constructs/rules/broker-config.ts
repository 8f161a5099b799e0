import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/**
 * Strimzi's forbidden options of `spec.kafka.config`: keys it sets itself (listeners, TLS, SASL, the
 * authorizer, KRaft roles) and refuses from the user, as `KafkaClusterSpec.FORBIDDEN_PREFIXES` and
 * `FORBIDDEN_PREFIX_EXCEPTIONS` of strimzi-kafka-operator list them (api/.../model/kafka/KafkaClusterSpec.java,
 * the 0.5x line; the operator drops such a key with only a warning in the Kafka's status, so the broker runs
 * without what the environment file says). A key is forbidden when it equals or starts with a prefix and is
 * not one of the exceptions.
 */
export const STRIMZI_FORBIDDEN_PREFIXES: readonly string[] = [
  'listeners', 'advertised.', 'broker.', 'listener.', 'host.name', 'port', 'inter.broker.listener.name', 'sasl.', 'ssl.',
  'security.', 'password.', 'log.dir', 'zookeeper.connect', 'zookeeper.set.acl', 'zookeeper.ssl', 'zookeeper.clientCnxnSocket',
  'authorizer.', 'super.user', 'cruise.control.metrics.topic', 'cruise.control.metrics.reporter.bootstrap.servers',
  'node.id', 'process.roles', 'controller.', 'metadata.log.dir',
];

/** The keys under a forbidden prefix that may still be set. */
export const STRIMZI_FORBIDDEN_EXCEPTIONS: readonly string[] = [
  'zookeeper.connection.timeout.ms', 'sasl.server.max.receive.size', 'ssl.cipher.suites', 'ssl.protocol', 'ssl.enabled.protocols',
  'ssl.secure.random.implementation', 'cruise.control.metrics.topic.num.partitions', 'cruise.control.metrics.topic.replication.factor',
  'cruise.control.metrics.topic.retention.ms', 'cruise.control.metrics.topic.auto.create.retries',
  'cruise.control.metrics.topic.auto.create.timeout.ms', 'cruise.control.metrics.topic.min.insync.replicas',
  'controller.quorum.election.backoff.max.ms', 'controller.quorum.election.timeout.ms', 'controller.quorum.fetch.timeout.ms',
];

/** The forbidden prefix a broker config key falls under, or undefined when Strimzi accepts it. */
export function forbiddenPrefix(key: string): string | undefined {
  if (STRIMZI_FORBIDDEN_EXCEPTIONS.includes(key)) return undefined;
  return STRIMZI_FORBIDDEN_PREFIXES.find((prefix) => key.startsWith(prefix));
}

/**
 * No key of `kafka.config` is one Strimzi forbids in `spec.kafka.config`: the types refuse them in a
 * TypeScript environment file, this refuses them from any file, before anything is written.
 */
export function checkBrokerConfig(env: Environment): Problem[] {
  // Before the shape check: an environment without kafka or its config has nothing to check here.
  return Object.keys(env.kafka?.config ?? {}).flatMap((key) => {
    const prefix = forbiddenPrefix(key);
    return prefix === undefined ? [] : [{
      env: env.name,
      resource: `Kafka/${env.kafka.name}`,
      field: `kafka.config.${key}`,
      message: `'${key}' is set by Strimzi and forbidden in spec.kafka.config (its forbidden prefix '${prefix}'); remove it`,
    }];
  });
}
