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
