import { checkAutoscaling } from '../../constructs/rules';
import { environments, IngesterAutoscaling } from '../../lib/environments';
import { withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];
const withScaling = (autoscaling: Partial<IngesterAutoscaling>) =>
  withChanges(prod, { alertDatabase: { ingester: { autoscaling } } });

describe('ingester autoscaling', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkAutoscaling(env)).toEqual([]);
  });

  test('fails when maxReplicas exceeds the partitions of the topic', () => {
    expect(checkAutoscaling(withScaling({ maxReplicas: 50 }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'ScaledObject/alert-database-ingester-1.0.0',
      field: 'alertDatabase.ingester.autoscaling.maxReplicas',
      message: "50 replicas, but topic 'lsst-alerts-v11' has 45 partitions; replicas beyond 45 would sit idle",
    }]);
  });

  test('fails when maxReplicas is below minReplicas', () => {
    expect(checkAutoscaling(withScaling({ minReplicas: 5, maxReplicas: 2 }))).toEqual([expect.objectContaining({
      field: 'alertDatabase.ingester.autoscaling.maxReplicas', message: '2 is below minReplicas (5)',
    })]);
  });

  test.each([[-1], [1.5]])('fails when minReplicas is %p', (minReplicas) => {
    expect(checkAutoscaling(withScaling({ minReplicas }))[0].field).toBe('alertDatabase.ingester.autoscaling.minReplicas');
  });
});
