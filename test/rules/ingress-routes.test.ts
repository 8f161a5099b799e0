import { checkIngressRoutes } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects, withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];

describe('ingress routes are unique', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkIngressRoutes(env, allObjects(synthesizeEnvironment(env)))).toEqual([]);
  });

  test('fails when the registry is published on the host and path of another route', () => {
    const env = withChanges(prod, { schemaRegistry: { ingress: { host: prod.host, path: '/v1' } } });
    expect(() => synthesizeEnvironment(env)).toThrow(
      `usdfprod-prompt-processing: GafaelfawrIngress/sasquatch-alert-database rules[0].http.paths[0]: route ${prod.host}/v1(/|$)(.*) is also served by GafaelfawrIngress/sasquatch-schema-registry; give one of them another host or path`);
  });
});
