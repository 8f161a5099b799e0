import { checkReplication } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];

describe('min.insync.replicas < replication factor <= brokers', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkReplication(env)).toEqual([]);
  });

  test('fails when min ISR equals the replication factor', () => {
    expect(checkReplication(withChanges(prod, { kafka: { minInsyncReplicas: 3 } }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'kafka.minInsyncReplicas',
      message: '3 is not below the replication factor (3); one broker restart would stop producers using acks=all. Use at most 2',
    }]);
  });

  test('fails when the replication factor exceeds the brokers', () => {
    expect(checkReplication(withChanges(prod, { kafka: { replicationFactor: 6, minInsyncReplicas: 2 } }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'kafka.replicationFactor',
      message: '6 replicas, but the broker pool has 5 brokers; lower it or add brokers',
    }]);
  });

  test.each([[0], [1.5]])('fails when min ISR is %p', (minInsyncReplicas) => {
    expect(checkReplication(withChanges(prod, { kafka: { minInsyncReplicas } }))[0].field).toBe('kafka.minInsyncReplicas');
  });

  test('fails when a topic has no more replicas than the cluster min ISR', () => {
    const topics = prod.topics.map((t, i) => (i === 1 ? { ...t, replicas: 2 } : t));
    expect(checkReplication(withChanges(prod, { topics }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'KafkaTopic/alerts-simulated',
      field: 'topics[1].replicas',
      message: "min.insync.replicas 2 is not below the topic's 2 replicas; one broker restart would stop producers using acks=all",
    }]);
  });

  test("fails when a topic's own min ISR reaches its replicas", () => {
    const topics = prod.topics.map((t, i) => (i === 0 ? { ...t, config: { 'min.insync.replicas': 3 } } : t));
    expect(checkReplication(withChanges(prod, { topics }))[0].field).toBe('topics[0].config.min.insync.replicas');
  });
});

describe('replication: the exact bounds and per-topic overrides', () => {
  test('replication factor equal to the brokers, and min ISR 1, pass', () => {
    expect(checkReplication(withChanges(prod, { kafka: { replicationFactor: 5, minInsyncReplicas: 1 } }))).toEqual([]);
  });

  test.each([[0], [2.5]])('a replication factor of %p is one line naming the field', (replicationFactor) => {
    expect(checkReplication(withChanges(prod, { kafka: { replicationFactor, minInsyncReplicas: 1 } }))).toContainEqual({
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'kafka.replicationFactor',
      message: `${replicationFactor} is not a whole number of replicas, at least 1`,
    });
  });

  test('a min ISR of 0 says what is wrong', () => {
    expect(checkReplication(withChanges(prod, { kafka: { minInsyncReplicas: 0 } })).map((p) => p.message)).toEqual(['0 is not a whole number, at least 1']);
  });

  test('a topic of one replica fails against the cluster min ISR; a topic of 0 replicas is left to the topics rule', () => {
    const topics = (replicas: number) => prod.topics.map((t, i) => (i === 1 ? { ...t, replicas } : t));
    expect(checkReplication(withChanges(prod, { topics: topics(1) })).map((p) => `${p.resource} ${p.field} ${p.message}`)).toEqual([
      "KafkaTopic/alerts-simulated topics[1].replicas min.insync.replicas 2 is not below the topic's 1 replicas; one broker restart would stop producers using acks=all",
    ]);
    expect(checkReplication(withChanges(prod, { topics: topics(0) }))).toEqual([]);
  });

  test("a topic's own min ISR is checked against its own replicas, in either direction", () => {
    const topics = (t: object) => prod.topics.map((x, i) => (i === 0 ? { ...x, ...t } : x));
    // The topic's override lowers min ISR below its replicas: fine, even though the cluster default would not be.
    expect(checkReplication(withChanges(prod, { topics: topics({ replicas: 2, config: { 'min.insync.replicas': 1 } }) }))).toEqual([]);
    expect(checkReplication(withChanges(prod, { topics: topics({ replicas: 4, config: { 'min.insync.replicas': 4 } }) }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: `KafkaTopic/${prod.topics[0].name}`,
      field: 'topics[0].config.min.insync.replicas',
      message: "min.insync.replicas 4 is not below the topic's 4 replicas; one broker restart would stop producers using acks=all",
    }]);
  });

  test('a cluster min ISR at the replication factor is one line, not one per topic', () => {
    expect(checkReplication(withChanges(prod, { kafka: { minInsyncReplicas: 4 } })).map((p) => p.field)).toEqual(['kafka.minInsyncReplicas']);
  });
  test('a replication factor of 1 is a valid count; only min ISR is reported', () => {
    expect(checkReplication(withChanges(prod, { kafka: { replicationFactor: 1, minInsyncReplicas: 1 } })).map((p) => p.field)).toEqual(['kafka.minInsyncReplicas']);
  });
});
