import { Testing } from 'cdk8s';
import { parse } from 'yaml';
import { KafkaMetrics } from '../../constructs';
import { testChart } from '../helpers';

function exporterConfig(includeTopicMetrics?: boolean) {
  const chart = testChart();
  new KafkaMetrics(chart, 'Metrics', { clusterName: 'sasquatch', includeTopicMetrics });
  return parse(Testing.synth(chart)[0].data['kafka-metrics-config.yml']);
}

describe('KafkaMetrics', () => {
  test('per-topic throughput is opt-in and comes before the generic rules', () => {
    const config = exporterConfig(true);
    expect(config.rules[0]).toEqual(expect.objectContaining({ labels: { topic: '$2' }, type: 'COUNTER' }));
    expect(config).not.toHaveProperty('excludeObjectNames');
  });

  test('without per-topic metrics the per-topic MBeans are excluded', () => {
    const config = exporterConfig();
    expect(config.excludeObjectNames).toContain('kafka.server:type=BrokerTopicMetrics,name=*,topic=*');
    expect(config.rules.some((r: any) => r.labels?.topic === '$2')).toBe(false);
  });

  test('every rule pattern is a valid regular expression', () => {
    for (const rule of exporterConfig(true).rules) expect(() => new RegExp(rule.pattern)).not.toThrow();
  });
});
