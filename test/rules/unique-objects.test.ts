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
