import { checkScheduling, schedulingReport } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { withChanges } from '../helpers';

const dev = environments['usdfdev-prompt-processing'];
const prod = environments['usdfprod-prompt-processing'];

describe('required anti-affinity and the nodes it needs', () => {
  test('reports the nodes each environment needs', () => {
    expect(schedulingReport(dev)).toEqual({
      requiredNodes: 9,
      explanation: '3 controllers + 5 brokers with required anti-affinity, one node each, + 1 shared by the entity operator, Cruise Control, Kafka exporter',
    });
    expect(schedulingReport(prod).requiredNodes).toBe(11);
  });

  test('a pool with preferred anti-affinity shares the extra node', () => {
    const env = withChanges(prod, { brokers: { podAntiAffinity: 'preferred' } });
    expect(schedulingReport(env)).toEqual({
      requiredNodes: 6,
      explanation: '5 controllers with required anti-affinity, one node each, + 1 shared by the entity operator, Cruise Control, Kafka exporter, brokers',
    });
  });

  test('without required anti-affinity one node suffices', () => {
    const env = withChanges(prod, { brokers: { podAntiAffinity: 'none' }, controllers: { podAntiAffinity: 'preferred' } });
    expect(schedulingReport(env)).toEqual({ requiredNodes: 1, explanation: 'no pool requires a node of its own' });
    expect(checkScheduling(withChanges(env, { schedulableNodes: 1 }))).toEqual([]);
  });

  test('passes when the cluster size is unknown or large enough', () => {
    expect(checkScheduling(prod)).toEqual([]);
    expect(checkScheduling(withChanges(prod, { schedulableNodes: 11 }))).toEqual([]);
  });

  test('fails when the cluster has fewer nodes than the required anti-affinity needs', () => {
    expect(checkScheduling(withChanges(prod, { schedulableNodes: 10 }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'KafkaNodePool/*',
      field: 'schedulableNodes',
      message: 'the Kafka pods need at least 11 nodes (5 controllers + 5 brokers with required anti-affinity, one node each, + 1 shared by the entity operator, Cruise Control, Kafka exporter) ' +
        "but the cluster has 10; add nodes, or set podAntiAffinity to 'preferred'",
    }]);
  });
});
