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

describe('ingester autoscaling: the exact bounds', () => {
  test('maxReplicas equal to minReplicas, and equal to the partitions, passes', () => {
    expect(checkAutoscaling(withScaling({ minReplicas: 45, maxReplicas: 45 }))).toEqual([]);
  });

  test('maxReplicas one above the partitions fails', () => {
    expect(checkAutoscaling(withScaling({ maxReplicas: 46 })).map((p) => p.message)).toEqual([
      "46 replicas, but topic 'lsst-alerts-v11' has 45 partitions; replicas beyond 45 would sit idle",
    ]);
  });

  test('minReplicas 0 passes (scale to zero); maxReplicas 0 or a fraction fails with its own line', () => {
    expect(checkAutoscaling(withScaling({ minReplicas: 0, maxReplicas: 1 }))).toEqual([]);
    expect(checkAutoscaling(withScaling({ minReplicas: 0, maxReplicas: 0 }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'ScaledObject/alert-database-ingester-1.0.0',
      field: 'alertDatabase.ingester.autoscaling.maxReplicas',
      message: '0 is not a whole number of replicas, at least 1',
    }]);
    expect(checkAutoscaling(withScaling({ maxReplicas: 2.5 })).map((p) => p.message)).toEqual(['2.5 is not a whole number of replicas, at least 1']);
  });

  test('a bad minReplicas names itself', () => {
    expect(checkAutoscaling(withScaling({ minReplicas: -1 }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'ScaledObject/alert-database-ingester-1.0.0',
      field: 'alertDatabase.ingester.autoscaling.minReplicas',
      message: '-1 is not a whole number of replicas',
    }]);
  });

  test('a topic that is not managed has no partition bound; no autoscaling, no checks', () => {
    expect(checkAutoscaling(withChanges(prod, { alertDatabase: { ingester: { topic: 'elsewhere', autoscaling: { minReplicas: 1, maxReplicas: 500 } } } }))).toEqual([]);
    const env = structuredClone(prod) as any;
    delete env.alertDatabase.ingester.autoscaling;
    expect(checkAutoscaling(env)).toEqual([]);
    expect(checkAutoscaling({ ...prod, alertDatabase: undefined })).toEqual([]);
  });
});
