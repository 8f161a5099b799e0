import { Testing } from 'cdk8s';
import { RegistryIngress, WebIngress, WebIngressProps } from '../../constructs';
import { testChart } from '../helpers';

const props: WebIngressProps = {
  name: 'ui',
  controller: 'gafaelfawr',
  host: 'example.org',
  path: '/ui',
  pathType: 'Prefix',
  backend: { serviceName: 'ui', port: 'http' },
  access: { scopes: ['exec:internal-tools'], loginRedirect: true },
};

function synth(overrides: Partial<WebIngressProps> = {}) {
  const chart = testChart();
  const ingress = new WebIngress(chart, 'Ingress', { ...props, ...overrides });
  return { ingress, object: Testing.synth(chart)[0] };
}

describe('WebIngress', () => {
  test('under Gafaelfawr, scopes and login redirect go to the GafaelfawrIngress config', () => {
    const { object } = synth();
    expect(object.kind).toBe('GafaelfawrIngress');
    expect(object.config).toEqual({ scopes: { all: ['exec:internal-tools'] }, loginRedirect: true });
    expect(object.template.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'ui', port: { name: 'http' } } });
  });

  test('under plain nginx, an anonymous route is a networking.k8s.io/v1 Ingress of class nginx', () => {
    const { object, ingress } = synth({ controller: 'nginx', access: { anonymous: true }, readOnly: true });
    expect(object).toMatchObject({ apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', spec: { ingressClassName: 'nginx' } });
    expect(object.metadata.annotations['nginx.ingress.kubernetes.io/configuration-snippet']).toContain('limit_except GET { deny all; }');
    expect(ingress.basicAuthSecret).toBeUndefined();
  });

  test('under plain nginx, a protected route is guarded by basic auth, since nginx cannot check scopes', () => {
    const { object, ingress } = synth({ controller: 'nginx' });
    expect(ingress.basicAuthSecret).toBe('ui-basic-auth');
    expect(object.metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/auth-type': 'basic',
      'nginx.ingress.kubernetes.io/auth-secret': 'ui-basic-auth',
    });
  });
});

describe('RegistryIngress', () => {
  test('rewrites /schema-registry/<x> to /<x> on the registry port, read-only and anonymous', () => {
    const chart = testChart();
    new RegistryIngress(chart, 'Registry', { host: 'schemas.example.org', controller: 'nginx', serviceName: 'reg', path: '/registry/' });
    const [object] = Testing.synth(chart);
    expect(object.spec.rules[0]).toEqual({
      host: 'schemas.example.org',
      http: { paths: [{ path: '/registry(/|$)(.*)', pathType: 'ImplementationSpecific', backend: { service: { name: 'reg', port: { number: 8081 } } } }] },
    });
    expect(object.metadata.annotations['nginx.ingress.kubernetes.io/rewrite-target']).toBe('/$2');
    expect(object.metadata.annotations).not.toHaveProperty('nginx.ingress.kubernetes.io/auth-type');
  });
});
