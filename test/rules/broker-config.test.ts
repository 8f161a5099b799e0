import { checkBrokerConfig, checkEnvironment, forbiddenPrefix, STRIMZI_FORBIDDEN_EXCEPTIONS, STRIMZI_FORBIDDEN_PREFIXES } from '../../constructs/rules';
import type { Environment } from '../../lib/environments';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';

const prod = environments['usdfprod-prompt-processing'];
/** An environment file that sets a key the types would refuse (as a JavaScript or cast file can). */
const withConfig = (config: Record<string, unknown>): Environment => ({ ...prod, kafka: { ...prod.kafka, config: config as Environment['kafka']['config'] } });

describe("Strimzi's forbidden options of spec.kafka.config", () => {
  test.each(Object.values(environments))('$name sets none', (env) => {
    expect(checkBrokerConfig(env)).toEqual([]);
  });

  test('a forbidden key is one problem line naming the key and its prefix', () => {
    expect(checkBrokerConfig(withConfig({ 'log.retention.minutes': 60, 'listener.name.plain-9092.sasl.enabled.mechanisms': 'PLAIN' }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'kafka.config.listener.name.plain-9092.sasl.enabled.mechanisms',
      message: "'listener.name.plain-9092.sasl.enabled.mechanisms' is set by Strimzi and forbidden in spec.kafka.config (its forbidden prefix 'listener.'); remove it",
    }]);
  });

  test('every forbidden key is reported, in the order of the file', () => {
    expect(checkBrokerConfig(withConfig({ 'super.users': 'User:x', 'message.max.bytes': 1, 'node.id': 3 })).map((p) => p.field))
      .toEqual(['kafka.config.super.users', 'kafka.config.node.id']);
  });

  test.each(STRIMZI_FORBIDDEN_PREFIXES)('%s and every key under it is forbidden', (prefix) => {
    expect(forbiddenPrefix(prefix)).toBe(prefix);
    expect(forbiddenPrefix(`${prefix}x`)).toBe(prefix);
  });

  test.each(STRIMZI_FORBIDDEN_EXCEPTIONS)('%s is an exception: allowed', (key) => {
    expect(forbiddenPrefix(key)).toBeUndefined();
    expect(checkBrokerConfig(withConfig({ [key]: 1 }))).toEqual([]);
  });

  test('a key that only contains a prefix, or ends with one, is allowed', () => {
    expect(forbiddenPrefix('num.listeners')).toBeUndefined();
    expect(forbiddenPrefix('x.ssl.')).toBeUndefined();
  });

  test("the lists are Strimzi's, word for word (KafkaClusterSpec.FORBIDDEN_PREFIXES and FORBIDDEN_PREFIX_EXCEPTIONS)", () => {
    expect(STRIMZI_FORBIDDEN_PREFIXES.join(', ')).toBe('listeners, advertised., broker., listener., host.name, port, '
      + 'inter.broker.listener.name, sasl., ssl., security., password., log.dir, zookeeper.connect, zookeeper.set.acl, '
      + 'zookeeper.ssl, zookeeper.clientCnxnSocket, authorizer., super.user, cruise.control.metrics.topic, '
      + 'cruise.control.metrics.reporter.bootstrap.servers, node.id, process.roles, controller., metadata.log.dir');
    expect(STRIMZI_FORBIDDEN_EXCEPTIONS.join(', ')).toBe('zookeeper.connection.timeout.ms, sasl.server.max.receive.size, '
      + 'ssl.cipher.suites, ssl.protocol, ssl.enabled.protocols, ssl.secure.random.implementation, '
      + 'cruise.control.metrics.topic.num.partitions, cruise.control.metrics.topic.replication.factor, '
      + 'cruise.control.metrics.topic.retention.ms, cruise.control.metrics.topic.auto.create.retries, '
      + 'cruise.control.metrics.topic.auto.create.timeout.ms, cruise.control.metrics.topic.min.insync.replicas, '
      + 'controller.quorum.election.backoff.max.ms, controller.quorum.election.timeout.ms, controller.quorum.fetch.timeout.ms');
  });

  test('several forbidden keys: each reported once, as forbidden, and no other rule runs', () => {
    const problems = checkEnvironment(withConfig({ 'ssl.keystore.location': '/x', 'log.retention.minutes': 60, 'process.roles': 'broker' }));
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      "kafka.config.ssl.keystore.location: 'ssl.keystore.location' is set by Strimzi and forbidden in spec.kafka.config (its forbidden prefix 'ssl.'); remove it",
      "kafka.config.process.roles: 'process.roles' is set by Strimzi and forbidden in spec.kafka.config (its forbidden prefix 'process.roles'); remove it",
    ]);
  });

  test('a forbidden key beside another shape problem: both reported', () => {
    const env = { ...withConfig({ 'super.user': 'x' }), namespace: 'Not_A_Label' } as Environment;
    const fields = checkEnvironment(env).map((p) => p.field);
    expect(fields[0]).toBe('kafka.config.super.user');
    expect(fields.filter((f) => f === 'kafka.config.super.user')).toHaveLength(1);
    expect(fields.length).toBeGreaterThan(1);
  });

  test('synth refuses the environment before anything is written, naming the key', () => {
    const env = withConfig({ 'authorizer.class.name': 'x' });
    expect(checkEnvironment(env).map((p) => p.field)).toEqual(['kafka.config.authorizer.class.name']);
    expect(() => synthesizeEnvironment(env)).toThrow(/kafka\.config\.authorizer\.class\.name: 'authorizer\.class\.name' is set by Strimzi/);
  });
});
