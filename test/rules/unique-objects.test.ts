import { checkUniqueObjects } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects, withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];

describe('unique objects', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkUniqueObjects(env, allObjects(synthesizeEnvironment(env)))).toEqual([]);
  });

  test("fails when a community broker takes the name of Kafbat's user", () => {
    const env = withChanges(prod, { users: { communityBrokers: [...prod.users.communityBrokers, 'kafbat'] } });
    expect(() => synthesizeEnvironment(env)).toThrow(
      "usdfprod-prompt-processing: KafkaUser/kafbat metadata.name: two KafkaUser objects are named 'kafbat'; rename one in the environment file");
  });
});

test('one name in two kinds is two objects; a name used three times is two problems', () => {
  const o = (kind: string, name: string) => ({ kind, metadata: { name } });
  expect(checkUniqueObjects(prod, [o('Service', 'a'), o('Deployment', 'a'), o('ConfigMap', 'b')])).toEqual([]);
  expect(checkUniqueObjects(prod, [o('Service', 'a'), o('Service', 'a'), o('Service', 'a')])).toEqual([
    { env: prod.name, resource: 'Service/a', field: 'metadata.name', message: "two Service objects are named 'a'; rename one in the environment file" },
    { env: prod.name, resource: 'Service/a', field: 'metadata.name', message: "two Service objects are named 'a'; rename one in the environment file" },
  ]);
});

test('objects without metadata are compared by kind alone, not a crash', () => {
  expect(checkUniqueObjects(prod, [{ kind: 'List' }, { kind: 'List' }])).toEqual([
    { env: prod.name, resource: 'List/undefined', field: 'metadata.name', message: "two List objects are named 'undefined'; rename one in the environment file" },
  ]);
});
