import { checkShape } from '../../constructs/rules';
import { Environment, environments } from '../../environments';
import { synthesizeEnvironment } from '../../lib/synthesize';

const prod = environments['usdfprod-prompt-processing'];
const broken = (change: (env: any) => void): Environment => {
  const env = structuredClone(prod) as any;
  change(env);
  return env;
};

describe('the environment has the declared shape at run time', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkShape(env)).toEqual([]);
  });

  test('fails when a required field is missing', () => {
    expect(checkShape(broken((e) => delete e.users.developers))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Environment',
      field: 'users.developers',
      message: 'is missing; every environment must set it (see environments/environment.ts)',
    }]);
  });

  test('fails when a field is misspelled', () => {
    expect(checkShape(broken((e) => { e.kafka.replicationFactors = 3; }))).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Environment',
      field: 'kafka.replicationFactors',
      message: 'is not a field of this object (misspelled?); the allowed fields are in environments/environment.ts',
    }]);
  });

  test('fails when a value has the wrong type, names the element', () => {
    expect(checkShape(broken((e) => { e.brokers.nodeIds[2] = '7'; }))).toEqual([
      expect.objectContaining({ field: 'brokers.nodeIds[2]', message: 'must be number' }),
    ]);
  });

  test('fails when a quantity is not a Kubernetes quantity', () => {
    expect(checkShape(broken((e) => { e.brokers.storageSize = '35T'; }))).toEqual([
      expect.objectContaining({ field: 'brokers.storageSize', message: expect.stringMatching(/^must match .* \(a Kubernetes quantity such as '8', '500m', '32Gi' or '35Ti'\)$/) }),
    ]);
  });

  test('fails when a choice is not one of its values', () => {
    expect(checkShape(broken((e) => { e.ingressController = 'traefik'; }))).toEqual([
      expect.objectContaining({ field: 'ingressController', message: 'must be one of "gafaelfawr", "nginx"' }),
    ]);
  });

  test('synth stops at the shape: a missing list is a named problem, not a crash', () => {
    expect(() => synthesizeEnvironment(broken((e) => delete e.topics))).toThrow(
      'usdfprod-prompt-processing: Environment topics: is missing; every environment must set it (see environments/environment.ts)');
  });
});
