import { checkEnvironment, checkManifests, UNSET_MARK } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];

describe('checkEnvironment: the shape first, then every rule', () => {
  test('a valid environment has no problems', () => {
    expect(checkEnvironment(prod)).toEqual([]);
  });

  test('a rule problem is found once the shape is right', () => {
    expect(checkEnvironment(withChanges(prod, { kafka: { minInsyncReplicas: 3 } })).map((p) => p.field)).toEqual(['kafka.minInsyncReplicas']);
  });

  test('values the scaffold left unset come first, alone: their placeholders would only read as bad shapes', () => {
    const env = structuredClone(prod) as any;
    env.host = `${UNSET_MARK}the web host`;
    env.kafka.minInsyncReplicas = 3;
    expect(checkEnvironment(env)).toEqual([{ env: prod.name, resource: 'Environment', field: 'host', message: 'is not set yet: the web host' }]);
  });

  test('a shape problem stops there: the rules would trust a shape that is not there', () => {
    const env = structuredClone(prod) as any;
    env.kafka.minInsyncReplicas = 3;
    env.host = 'not a host';
    expect(checkEnvironment(env).map((p) => p.field)).toEqual(['host']);
  });

  test('the manifest rules run over the objects', () => {
    expect(checkManifests(prod, [{ kind: 'Service', metadata: { name: 'a' } }, { kind: 'Service', metadata: { name: 'a' } }]).map((p) => p.field)).toEqual(['metadata.name']);
  });
});
