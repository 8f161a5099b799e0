import { environments } from '../lib/environments';
import { validateObjects } from '../lib/schema-validation';
import { synthesizeEnvironment } from '../lib/synthesize';
import { allObjects, sharedCrdCatalog, withChanges } from './helpers';

describe.each(Object.values(environments))('$name', (env) => {
  test('every object validates against its CRD in ../shared/crds or the Kubernetes schema', () => {
    const findings = validateObjects(allObjects(synthesizeEnvironment(env)), sharedCrdCatalog());
    expect(findings).toEqual([]);
  });
});

test('with plain nginx instead of Gafaelfawr, the Ingress objects validate too', () => {
  const env = withChanges(environments['usdfprod-prompt-processing'], {
    ingressController: 'nginx',
    externalSecrets: [
      { name: 'sasquatch-alert-database-basic-auth', keys: ['auth'], createdBy: 'the operator, with htpasswd' },
      { name: 'kafbat-basic-auth', keys: ['auth'], createdBy: 'the operator, with htpasswd' },
    ],
  });
  const objects = allObjects(synthesizeEnvironment(env));
  expect(objects.filter((o) => o.kind === 'Ingress').map((o) => o.metadata.name))
    .toEqual(['sasquatch-schema-registry', 'sasquatch-alert-database', 'kafbat']);
  expect(objects.filter((o) => o.kind === 'GafaelfawrIngress')).toEqual([]);
  expect(validateObjects(objects, sharedCrdCatalog())).toEqual([]);
});

describe('the validator used above catches mistakes', () => {
  const base = () => structuredClone(allObjects(synthesizeEnvironment(environments['usdfprod-prompt-processing'])));

  test('an unknown field in a custom resource', () => {
    const objects = base();
    const kafka: any = objects.find((o) => o.kind === 'Kafka');
    kafka.spec.kafka.authorisation = kafka.spec.kafka.authorization;
    expect(validateObjects(objects, sharedCrdCatalog())).toEqual([
      { severity: 'error', object: 'Kafka/sasquatch', path: '/spec/kafka', message: "unknown field 'authorisation'" },
    ]);
  });

  test('a wrong type and a value outside an enum', () => {
    const objects = base();
    const pool: any = objects.find((o) => o.kind === 'KafkaNodePool');
    pool.spec.replicas = '5';
    pool.spec.roles = ['leader'];
    const messages = validateObjects(objects, sharedCrdCatalog()).map((f) => `${f.path} ${f.message}`);
    expect(messages).toEqual(expect.arrayContaining(['/spec/replicas must be integer', expect.stringMatching(/^\/spec\/roles\/0 must be equal to one of the allowed values/)]));
  });

  test('a broken core object and an unknown kind', () => {
    const objects: any[] = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { n: 1 } },
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } },
    ];
    expect(validateObjects(objects, sharedCrdCatalog())).toEqual([
      { severity: 'error', object: 'ConfigMap/x', path: '/data/n', message: 'must be string' },
      { severity: 'error', object: 'Widget/w', path: '/apiVersion', message: expect.stringContaining('unknown kind example.com/v1 Widget') },
    ]);
  });

  test('a deprecated API version is a warning', () => {
    const objects: any[] = [{ apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaTopic', metadata: { name: 't' }, spec: { partitions: 1 } }];
    expect(validateObjects(objects, sharedCrdCatalog())).toEqual([
      expect.objectContaining({ severity: 'warning', object: 'KafkaTopic/t', path: '/apiVersion' }),
    ]);
  });
});
