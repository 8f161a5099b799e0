/**
 * What Strimzi's operators make of the synthesized Kafka, KafkaUser and KafkaTopic objects, for the test cluster.
 *
 * - The broker configuration: spec.kafka.config as written, plus what the listeners and the authorization imply,
 *   as the cluster operator's KafkaBrokerConfigurationBuilder writes them (strimzi-kafka-operator,
 *   cluster-operator/src/main/java/io/strimzi/operator/cluster/model/KafkaBrokerConfigurationBuilder.java):
 *   a listener `<NAME>-<port>`, SASL_* with SCRAM-SHA-512 for `scram-sha-512`, SSL with `ssl.client.auth=required`
 *   against the clients CA for `tls`; for `simple` authorization the KRaft StandardAuthorizer and super.users of
 *   the cluster's own components (CN=<cluster>-kafka,O=io.strimzi, the entity operators, the exporter, cruise
 *   control, the cluster operator) and `User:<name>` for each of spec.kafka.authorization.superUsers.
 * - Users, as the user operator makes them (user-operator/src/main/java/io/strimzi/operator/user/model/
 *   KafkaUserModel.java): a `scram-sha-512` user gets SCRAM-SHA-512 credentials (4096 iterations) under its name,
 *   principal `User:<name>`; a `tls` user a certificate `CN=<name>` from the clients CA, principal `User:CN=<name>`.
 * - ACLs, as the user operator translates spec.authorization.acls (user-operator/.../model/acl/SimpleAclRule.java
 *   fromCrd and toKafkaAclBinding, SimpleAclRuleResource.java toKafkaResourcePattern): one binding per operation;
 *   resource type topic/group/cluster/transactionalId to TOPIC/GROUP/CLUSTER (named `kafka-cluster`)/
 *   TRANSACTIONAL_ID; patternType literal to LITERAL and prefix to PREFIXED (literal when unset); host `*` when
 *   unset; type allow (the default) to ALLOW and deny to DENY.
 * - Topics, as the topic operator creates them: name (spec.topicName or the object's name), partitions, replicas
 *   (here capped at the test cluster's size) and every spec.config key, each value as its string.
 */
import type { KubeObject } from '../../lib/synthesize';

export interface AclBindingSpec {
  readonly principal: string;
  readonly resourceType: 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID';
  readonly name: string;
  readonly patternType: 'LITERAL' | 'PREFIXED';
  readonly operation: string;
  readonly host: string;
  readonly permission: 'ALLOW' | 'DENY';
}

export interface UserSpec {
  readonly name: string;
  readonly authentication: 'scram-sha-512' | 'tls';
  readonly principal: string;
  readonly bindings: readonly AclBindingSpec[];
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly replicas: number;
  readonly config: Readonly<Record<string, string>>;
}

const RESOURCE_TYPES: Record<string, AclBindingSpec['resourceType']> = {
  topic: 'TOPIC', group: 'GROUP', cluster: 'CLUSTER', transactionalId: 'TRANSACTIONAL_ID',
};
/** Strimzi's AclOperation names to Kafka's (AclOperation.valueOf). */
const OPERATIONS: Record<string, string> = {
  Read: 'READ', Write: 'WRITE', Create: 'CREATE', Delete: 'DELETE', Alter: 'ALTER', Describe: 'DESCRIBE',
  ClusterAction: 'CLUSTER_ACTION', AlterConfigs: 'ALTER_CONFIGS', DescribeConfigs: 'DESCRIBE_CONFIGS',
  IdempotentWrite: 'IDEMPOTENT_WRITE', All: 'ALL',
};

const spec = (o: KubeObject) => o.spec as Record<string, any>;

export function kafkaUserSpec(user: KubeObject): UserSpec {
  const { authentication, authorization } = spec(user);
  const type = authentication?.type;
  if (type !== 'scram-sha-512' && type !== 'tls') throw new Error(`KafkaUser/${user.metadata.name}: authentication ${type} is not one this tier makes`);
  const username = type === 'tls' ? `CN=${user.metadata.name}` : user.metadata.name;
  const principal = `User:${username}`;
  if (authorization && authorization.type !== 'simple') throw new Error(`KafkaUser/${user.metadata.name}: authorization ${authorization.type} is not simple`);
  const bindings = (authorization?.acls ?? []).flatMap((rule: any): AclBindingSpec[] => {
    const resourceType = RESOURCE_TYPES[rule.resource.type];
    if (!resourceType) throw new Error(`KafkaUser/${user.metadata.name}: unknown ACL resource type ${rule.resource.type}`);
    const operations: string[] = rule.operations ?? [rule.operation];
    return operations.map((operation) => {
      if (!OPERATIONS[operation]) throw new Error(`KafkaUser/${user.metadata.name}: unknown ACL operation ${operation}`);
      return {
        principal,
        resourceType,
        name: resourceType === 'CLUSTER' ? 'kafka-cluster' : rule.resource.name,
        patternType: rule.resource.patternType === 'prefix' ? 'PREFIXED' : 'LITERAL',
        operation: OPERATIONS[operation],
        host: rule.host ?? '*',
        permission: rule.type === 'deny' ? 'DENY' : 'ALLOW',
      };
    });
  });
  return { name: user.metadata.name, authentication: type, principal, bindings };
}

export function kafkaTopicSpec(topic: KubeObject, clusterSize: number): TopicSpec {
  const s = spec(topic);
  return {
    name: s.topicName ?? topic.metadata.name,
    partitions: s.partitions,
    replicas: Math.min(s.replicas, clusterSize),
    config: Object.fromEntries(Object.entries(s.config ?? {}).map(([k, v]) => [k, String(v)])),
  };
}

export interface BrokerSetup {
  readonly version: string;
  readonly listeners: ReadonlyArray<{ name: string; protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL'; authentication: 'scram-sha-512' | 'tls' | 'none'; type: string }>;
  /** spec.kafka.config and the authorization's settings, as broker properties. */
  readonly config: Readonly<Record<string, string>>;
  readonly superUsers: readonly string[];
}

export function brokerSetup(kafka: KubeObject): BrokerSetup {
  const k = spec(kafka).kafka;
  const listeners = (k.listeners as any[]).map((l) => {
    const authentication = l.authentication?.type ?? 'none';
    if (!['scram-sha-512', 'tls', 'none'].includes(authentication)) throw new Error(`listener ${l.name}: authentication ${authentication} is not one this tier serves`);
    const sasl = authentication === 'scram-sha-512';
    const protocol = l.tls ? (sasl ? 'SASL_SSL' : 'SSL') : (sasl ? 'SASL_PLAINTEXT' : 'PLAINTEXT');
    return { name: `${String(l.name).toUpperCase()}-${l.port}`, protocol, authentication, type: l.type } as const;
  });
  const config: Record<string, string> = Object.fromEntries(Object.entries(k.config ?? {}).map(([key, v]) => [key, String(v)]));
  const cluster = kafka.metadata.name;
  const superUsers: string[] = [];
  if (k.authorization) {
    if (k.authorization.type !== 'simple') throw new Error(`authorization ${k.authorization.type} is not simple`);
    config['authorizer.class.name'] = 'org.apache.kafka.metadata.authorizer.StandardAuthorizer';
    superUsers.push(...(k.authorization.superUsers ?? []));
    config['super.users'] = [
      `User:CN=${cluster}-kafka,O=io.strimzi`, `User:CN=${cluster}-entity-topic-operator,O=io.strimzi`,
      `User:CN=${cluster}-entity-user-operator,O=io.strimzi`, `User:CN=${cluster}-kafka-exporter,O=io.strimzi`,
      `User:CN=${cluster}-cruise-control,O=io.strimzi`, 'User:CN=cluster-operator,O=io.strimzi',
      ...superUsers.map((u) => `User:${u}`),
    ].join(';');
  }
  return { version: k.version, listeners, config, superUsers };
}
