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

describe('ingress routes: plain Ingresses and defaults', () => {
  const ingress = (name: string, rules: object[]) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name }, spec: { rules } });
  const rule = (host: string | undefined, ...paths: (string | undefined)[]) => ({ host, http: { paths: paths.map((p) => ({ path: p, pathType: 'Prefix' })) } });

  test('two plain nginx Ingresses on one host and path fail, naming the second and its rule', () => {
    expect(checkIngressRoutes(prod, [ingress('a', [rule('h.example.org', '/x')]), ingress('b', [rule('other.example.org', '/y'), rule('h.example.org', '/z', '/x')])])).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Ingress/b',
      field: 'rules[1].http.paths[1]',
      message: 'route h.example.org/x is also served by Ingress/a; give one of them another host or path',
    }]);
  });

  test('a rule without host is every host, a path left out is /', () => {
    expect(checkIngressRoutes(prod, [ingress('a', [rule(undefined, undefined)]), ingress('b', [rule(undefined, '/')])]).map((p) => p.message))
      .toEqual(['route */ is also served by Ingress/a; give one of them another host or path']);
  });

  test('other hosts, other paths and other kinds do not clash', () => {
    const service = { kind: 'Service', metadata: { name: 'a' }, spec: { rules: [rule('h.example.org', '/x')] } };
    expect(checkIngressRoutes(prod, [service, ingress('a', [rule('h.example.org', '/x')]), ingress('b', [rule('h.example.org', '/y'), rule('i.example.org', '/x')]),
      ingress('c', [{ host: 'h.example.org' }]), { kind: 'Ingress', metadata: { name: 'd' } }])).toEqual([]);
  });

  test('a third claim names the first owner', () => {
    const problems = checkIngressRoutes(prod, [ingress('a', [rule('h', '/x')]), ingress('b', [rule('h', '/x')]), ingress('c', [rule('h', '/x')])]);
    expect(problems.map((p) => `${p.resource}: ${p.message}`)).toEqual([
      'Ingress/b: route h/x is also served by Ingress/a; give one of them another host or path',
      'Ingress/c: route h/x is also served by Ingress/a; give one of them another host or path',
    ]);
  });
  test('rules without paths add no route; a Gafaelfawr ingress without a template and other kinds with one add none', () => {
    expect(checkIngressRoutes(prod, [ingress('a', [{ host: 'h' }]), ingress('b', [{ host: 'h' }, { host: 'h', http: {} }]),
      { kind: 'GafaelfawrIngress', metadata: { name: 'g' } }, { kind: 'Ingress', metadata: { name: 'n' }, spec: {} },
      { kind: 'IngressClass', metadata: { name: 'c1' }, template: { spec: { rules: [rule('h', '/')] } } },
      { kind: 'IngressClass', metadata: { name: 'c2' }, template: { spec: { rules: [rule('h', '/')] } } }])).toEqual([]);
  });
});
