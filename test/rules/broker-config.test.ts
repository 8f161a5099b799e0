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

  test('the lists are as Strimzi has them (24 prefixes, 15 exceptions)', () => {
    expect(STRIMZI_FORBIDDEN_PREFIXES).toHaveLength(24);
    expect(STRIMZI_FORBIDDEN_EXCEPTIONS).toHaveLength(15);
  });

  test('synth refuses the environment before anything is written, naming the key', () => {
    const env = withConfig({ 'authorizer.class.name': 'x' });
    expect(checkEnvironment(env).map((p) => p.field)).toEqual(['kafka.config.authorizer.class.name']);
    expect(() => synthesizeEnvironment(env)).toThrow(/kafka\.config\.authorizer\.class\.name: 'authorizer\.class\.name' is set by Strimzi/);
  });
});
