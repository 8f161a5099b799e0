import { checkTopics } from '../../constructs/rules';
import { environments, TopicOptions } from '../../lib/environments';
import { loadBalancer, withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];
const withTopics = (topics: TopicOptions[]) => withChanges(prod, { topics });
const topics = () => prod.topics.map((t) => ({ ...t }));

describe('topics', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkTopics(env)).toEqual([]);
  });

  test('fails when replicas exceed the broker count', () => {
    const list = topics();
    list[1] = { ...list[1], replicas: 6 };
    expect(checkTopics(withTopics(list))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'KafkaTopic/alerts-simulated',
      field: 'topics[1].replicas',
      message: '6 replicas, but the cluster has 5 brokers; use a whole number from 1 to 5',
    }]);
  });

  test('fails when the default replication factor exceeds the broker count, naming kafka.replicationFactor', () => {
    const env = withChanges(prod, { brokers: { nodeIds: [5, 6] }, externalListener: { brokers: loadBalancer(prod).brokers.slice(0, 2) } });
    expect(checkTopics(env).map((p) => p.field)).toEqual(['kafka.replicationFactor', 'kafka.replicationFactor', 'kafka.replicationFactor']);
  });

  test.each([[0], [-3], [2.5]])('fails when partitions is %p', (partitions) => {
    const list = topics();
    list[0] = { ...list[0], partitions };
    expect(checkTopics(withTopics(list))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'KafkaTopic/alert-stream-test',
      field: 'topics[0].partitions',
      message: `${partitions} partitions; a topic needs a whole number of partitions, at least 1`,
    }]);
  });

  test.each([
    ['lsst alerts', "'lsst alerts' is not a valid topic name; use letters, digits, '.', '_' and '-' only"],
    ['alerts/v12', "'alerts/v12' is not a valid topic name; use letters, digits, '.', '_' and '-' only"],
    ['..', "'..' is not allowed as a topic name"],
    ['a'.repeat(250), `'${'a'.repeat(20)}…' has 250 characters; Kafka allows at most 249`],
  ])('fails when the topic name is %p', (name, message) => {
    expect(checkTopics(withTopics([...topics(), { name, partitions: 1 }]))).toEqual([
      { env: 'usdfprod-prompt-processing', resource: `KafkaTopic/${name}`, field: 'topics[3].name', message },
    ]);
  });

  test('a valid topic name with capitals and underscores is allowed', () => {
    expect(checkTopics(withTopics([...topics(), { name: 'Alerts_Reprocessed', partitions: 1 }]))).toEqual([]);
  });

  test('fails when two topics collide once . and _ are folded', () => {
    expect(checkTopics(withTopics([...topics(), { name: 'lsst_alerts_v11', partitions: 1 }]))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'KafkaTopic/lsst_alerts_v11',
      field: 'topics[3].name',
      message: "'lsst_alerts_v11' collides with 'lsst-alerts-v11' (same name once '.' and '_' or letter case are folded); rename one",
    }]);
  });

  test('fails when a topic is declared twice', () => {
    expect(checkTopics(withTopics([...topics(), { name: 'alerts-simulated', partitions: 1 }]))[0].field).toBe('topics[3].name');
  });

  test('fails when the environment declares the registry topic', () => {
    expect(checkTopics(withTopics([...topics(), { name: 'registry-schemas', partitions: 1 }]))).toEqual([expect.objectContaining({
      message: "'registry-schemas' is created by the schema registry; remove it from topics",
    })]);
  });

  test('fails when a topic is both managed and external', () => {
    expect(checkTopics(withChanges(prod, { externalTopics: ['lsst-alerts-v11'] }))).toEqual([expect.objectContaining({
      field: 'topics[2].name',
      message: "'lsst-alerts-v11' is also listed in externalTopics; a topic is either managed here or external",
    })]);
  });

  test('fails when an external topic name is invalid', () => {
    expect(checkTopics(withChanges(prod, { externalTopics: ['old alerts'] }))).toEqual([expect.objectContaining({ field: 'externalTopics[0]' })]);
  });
  test.each([
    ['.', "'.' is not allowed as a topic name"],
    ['a'.repeat(249), undefined],
  ])('the name %p is judged at the edge of the rules', (name, message) => {
    expect(checkTopics(withTopics([...topics(), { name, partitions: 1 }])).map((p) => p.message)).toEqual(message ? [message] : []);
  });

  test('fails when two topics collide once . is folded to _', () => {
    expect(checkTopics(withTopics([{ name: 'a.b', partitions: 1 }, { name: 'a_b', partitions: 1 }])).map((p) => `${p.field}: ${p.message}`)).toEqual([
      "topics[1].name: 'a_b' collides with 'a.b' (same name once '.' and '_' or letter case are folded); rename one",
    ]);
  });

  test('the registry topic is reported at the name of the topic', () => {
    expect(checkTopics(withTopics([...topics(), { name: 'registry-schemas', partitions: 1 }])).map((p) => `${p.resource} ${p.field}`)).toEqual(['KafkaTopic/registry-schemas topics[3].name']);
  });

  test.each([[0], [2.5]])('fails when a topic has %p replicas', (replicas) => {
    expect(checkTopics(withTopics([{ name: 'a', partitions: 1, replicas }]))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'KafkaTopic/a',
      field: 'topics[0].replicas',
      message: `${replicas} replicas, but the cluster has 5 brokers; use a whole number from 1 to 5`,
    }]);
    expect(checkTopics(withTopics([{ name: 'a', partitions: 1, replicas: 1 }]))).toEqual([]);
  });

  test('an invalid external topic names itself as the resource', () => {
    expect(checkTopics(withChanges(prod, { externalTopics: ['ok', 'old alerts'] }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'KafkaTopic/old alerts',
      field: 'externalTopics[1]',
      message: "'old alerts' is not a valid topic name; use letters, digits, '.', '_' and '-' only",
    }]);
  });
});
