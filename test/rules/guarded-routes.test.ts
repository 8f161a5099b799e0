import { checkGuardedRoutes } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects } from '../helpers';

describe.each(Object.values(environments))('$name', (env) => {
  const objects = allObjects(synthesizeEnvironment(env)) as any[];
  const isKafbatPolicy = (o: any) => o.kind === 'NetworkPolicy' && o.metadata.name === 'kafbat';
  const withoutKafbatPolicy = () => objects.filter((o) => !isKafbatPolicy(o));
  const isKafbatRoute = (o: any) => (o.kind === 'Ingress' || o.kind === 'GafaelfawrIngress') && o.metadata.name === 'kafbat';
  const isKafbatDeployment = (o: any) => o.kind === 'Deployment' && o.metadata.name === 'kafbat';

  test('every workload behind a login is guarded', () => {
    expect(checkGuardedRoutes(env, objects)).toEqual([]);
  });

  test("without Kafbat's NetworkPolicy, synthesis would refuse it by name", () => {
    const without = withoutKafbatPolicy();
    const ingressKind = env.ingressController === 'gafaelfawr' ? 'GafaelfawrIngress' : 'Ingress';
    expect(checkGuardedRoutes(env, without)).toEqual([{
      env: env.name, resource: 'Deployment/kafbat', field: 'spec.template.metadata.labels',
      message: `${ingressKind}/kafbat requires a login, but no NetworkPolicy guards its pods: any pod of the cluster could call Service kafbat and skip it; ` +
        'guard them with an IngressOnlyPolicy (constructs/ingress-only-policy.ts)',
    }]);
  });

  test('a policy that admits any pod does not count', () => {
    const opened = objects.map((o) => (isKafbatPolicy(o)
      ? { ...o, spec: { ...o.spec, ingress: [...o.spec.ingress, { ports: [{ port: 8080, protocol: 'TCP' }] }] } } : o));
    expect(checkGuardedRoutes(env, opened).map((p) => p.message)).toEqual([expect.stringContaining('a NetworkPolicy admits any pod')]);
  });

  test('a NetworkPolicy without a spec selects every pod and admits any', () => {
    const empty = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'empty' } };
    const messages = checkGuardedRoutes(env, [...objects, empty]).map((p) => p.message);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.every((m) => m.includes('but a NetworkPolicy admits any pod'))).toBe(true);
  });

  test('a rule that also admits same-namespace pods by podSelector does not count', () => {
    const widened = objects.map((o) => (isKafbatPolicy(o)
      ? { ...o, spec: { ...o.spec, ingress: o.spec.ingress.map((rule: any) => ({ ...rule, from: [...rule.from, { podSelector: {} }] })) } } : o));
    expect(checkGuardedRoutes(env, widened).map((p) => p.message)).toEqual([expect.stringContaining('a NetworkPolicy admits any pod')]);
  });

  test('a deny-all policy without a podSelector guards every pod', () => {
    const denyAll = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all' }, spec: { policyTypes: ['Ingress'] } };
    expect(checkGuardedRoutes(env, [...withoutKafbatPolicy(), denyAll])).toEqual([]);
  });

  test('a policy that admits no pod at all (no ingress rules) guards them', () => {
    const denyAll = objects.map((o) => (isKafbatPolicy(o)
      ? { ...o, spec: { podSelector: o.spec.podSelector, policyTypes: ['Ingress'] } } : o));
    expect(checkGuardedRoutes(env, denyAll)).toEqual([]);
  });

  test('a route to a Service that does not exist (the references rule reports it) guards nothing and fails nothing', () => {
    const withoutServices = objects.filter((o) => o.kind !== 'Service');
    expect(checkGuardedRoutes(env, withoutServices)).toEqual([]);
  });


  test('an anonymous route needs no guard', () => {
    const anonymous = withoutKafbatPolicy().map((o) => {
      if (!isKafbatRoute(o)) return o;
      if (o.kind === 'GafaelfawrIngress') return { ...o, config: { ...o.config, scopes: { anonymous: true } } };
      const { ['nginx.ingress.kubernetes.io/auth-type']: _auth, ...annotations } = o.metadata.annotations;
      return { ...o, metadata: { ...o.metadata, annotations } };
    });
    expect(checkGuardedRoutes(env, anonymous)).toEqual([]);
  });

  test('an Ingress without annotations, or without metadata, asks for no login', () => {
    const bare = [{ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'bare' } }, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress' }];
    expect(checkGuardedRoutes(env, [...objects, ...bare])).toEqual([]);
  });

  test('routes without a template, spec, rules, http paths or a Service backend, Services without a spec, Deployments without pods: nowhere', () => {
    const auth = { 'nginx.ingress.kubernetes.io/auth-type': 'basic' };
    const ingress = (name: string, spec?: object) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name, annotations: auth }, spec });
    const partial = [
      { apiVersion: 'gafaelfawr.lsst.io/v1alpha1', kind: 'GafaelfawrIngress', metadata: { name: 'no-template' }, config: { scopes: { all: ['read:x'] } } },
      { apiVersion: 'gafaelfawr.lsst.io/v1alpha1', kind: 'GafaelfawrIngress', metadata: { name: 'no-config' } },
      ingress('no-spec'),
      ingress('no-rules', {}),
      ingress('no-http', { rules: [{ host: 'x.example.org' }] }),
      ingress('resource-backend', { rules: [{ http: { paths: [{ path: '/', backend: { resource: { kind: 'Bucket', name: 'b' } } }] } }] }),
      ingress('no-backend', { rules: [{ http: { paths: [{ path: '/' }] } }] }),
      ingress('to-a-service-without-spec', { rules: [{ http: { paths: [{ path: '/', backend: { service: { name: 'bare', port: { number: 80 } } } }] } }] }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bare' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'no-spec' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'no-template' }, spec: {} },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'no-pod-metadata' }, spec: { template: {} } },
    ];
    expect(checkGuardedRoutes(env, [...objects, ...partial])).toEqual([]);
  });

  test('any kind of workload behind the route is checked; an object of another kind with the same labels is none', () => {
    const asKind = (kind: string) => withoutKafbatPolicy().map((o) => (isKafbatDeployment(o) ? { ...o, kind } : o));
    for (const kind of ['StatefulSet', 'DaemonSet', 'ReplicaSet']) expect(checkGuardedRoutes(env, asKind(kind)).map((p) => p.resource)).toEqual([`${kind}/kafbat`]);
    expect(checkGuardedRoutes(env, asKind('PodTemplateLike'))).toEqual([]);
  });

  test('a Service without metadata is passed over', () => {
    expect(checkGuardedRoutes(env, [{ apiVersion: 'v1', kind: 'Service' }, ...objects])).toEqual([]);
  });

  test('a GafaelfawrIngress without scopes counts as asking for a login', () => {
    const unscoped = withoutKafbatPolicy().map((o) => (isKafbatRoute(o) && o.kind === 'GafaelfawrIngress' ? { ...o, config: { ...o.config, scopes: undefined } } : o));
    expect(checkGuardedRoutes(env, unscoped).map((p) => p.resource)).toEqual(['Deployment/kafbat']);
  });

  test('a Deployment without pod labels is behind no Service', () => {
    const unlabelled = withoutKafbatPolicy().map((o) => (isKafbatDeployment(o)
      ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, metadata: {} } } } : o));
    expect(checkGuardedRoutes(env, unlabelled)).toEqual([]);
  });

  test('the anonymous registry route needs no policy', () => {
    const registryPolicies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata.name.includes('registry'));
    expect(registryPolicies).toEqual([]);
  });
});
