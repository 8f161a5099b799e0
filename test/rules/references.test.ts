import { checkReferences } from '../../constructs/rules';
import { extractReferences, provided } from '../../constructs/rules/references';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects, withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];
let synthesized: any[] | undefined;
/** A fresh copy of production's objects, synthesized once per file (the mutation run executes this file per mutant). */
const objects = () => structuredClone(synthesized ??= allObjects(synthesizeEnvironment(prod))) as any[];
const find = (list: any[], kind: string, name: string) => list.find((o) => o.kind === kind && o.metadata.name === name);
const check = (list: any[], env = prod) => checkReferences(env, list);

describe('every name an object reads resolves in the same environment', () => {
  test.each(Object.values(environments))('$name: Secrets, keys, Services, ports, topics, groups all resolve', (env) => {
    expect(checkReferences(env, allObjects(synthesizeEnvironment(env)))).toEqual([]);
  });

  test('fails when the JMX ConfigMap the Kafka resource reads is missing', () => {
    const list = objects().filter((o) => !(o.kind === 'ConfigMap' && o.metadata.name === 'kafka-metrics'));
    expect(check(list)).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'spec.kafka.metricsConfig',
      message: "reads ConfigMap 'kafka-metrics', which the environment does not create",
    }]);
  });

  test('fails when a container reads a key a Strimzi Secret does not have', () => {
    const list = objects();
    find(list, 'Deployment', 'kafbat').spec.template.spec.containers[0].env[8].valueFrom.secretKeyRef.key = 'ca.pass';
    expect(check(list)).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Deployment/kafbat',
      field: 'spec.template.spec.containers[0].env[8].valueFrom.secretKeyRef',
      message: "reads key 'ca.pass' of Secret 'sasquatch-cluster-ca-cert', which has only ca.crt, ca.p12, ca.password",
    }]);
  });

  test('fails when a workload mounts the Secret of a user that does not exist', () => {
    const list = objects().filter((o) => !(o.kind === 'KafkaUser' && o.metadata.name === 'alert-database-ingester'));
    expect(check(list).map((p) => `${p.resource} ${p.field}`)).toEqual([
      'Deployment/alert-database-ingester-1.0.0 spec.template.spec.volumes[0].secret.secretName',
      'TriggerAuthentication/alert-database-ingester-1.0.0-kafka-auth spec.secretTargetRef[1]',
      'TriggerAuthentication/alert-database-ingester-1.0.0-kafka-auth spec.secretTargetRef[2]',
    ]);
  });

  test('fails when a client talks to a port the Service does not serve', () => {
    const list = objects();
    const args = find(list, 'Deployment', 'alert-database-ingester-1.0.0').spec.template.spec.containers[0].args;
    args[0] = '--kafka-host=sasquatch-kafka-bootstrap:9094';
    expect(check(list)).toEqual([expect.objectContaining({
      resource: 'Deployment/alert-database-ingester-1.0.0',
      message: "talks to port 9094 of Service 'sasquatch-kafka-bootstrap', which serves only 9092, 9093",
    })]);
  });

  test('fails when a client talks to a Service that does not exist', () => {
    const list = objects();
    find(list, 'Deployment', 'kafbat').spec.template.spec.containers[0].env[12].value = 'http://schema-registry.sasquatch:8081';
    expect(check(list)).toEqual([expect.objectContaining({
      field: 'spec.template.spec.containers[0].env[12].value',
      message: "talks to Service 'schema-registry', which the environment does not create",
    })]);
  });

  test('addresses in other namespaces and outside the cluster are not checked', () => {
    const list = objects();
    const args = find(list, 'Deployment', 'alert-database-server-1.0.0').spec.template.spec.containers[0].args;
    args.push('--other=http://registry.elsewhere:8081', '--s3=https://s3.example.org:443/');
    expect(check(list)).toEqual([]);
  });

  test('fails when KEDA scales a Deployment that does not exist', () => {
    const list = objects();
    find(list, 'ScaledObject', 'alert-database-ingester-1.0.0').spec.scaleTargetRef.name = 'alert-database-ingester';
    expect(check(list)).toEqual([expect.objectContaining({
      field: 'spec.scaleTargetRef.name',
      message: "refers to Deployment 'alert-database-ingester', which the environment does not create",
    })]);
  });

  test("fails when KEDA's user may not describe the consumer group it watches", () => {
    const list = objects();
    const user = find(list, 'KafkaUser', 'alert-database-ingester');
    user.spec.authorization.acls = user.spec.authorization.acls.filter((a: any) => a.resource.type !== 'group');
    expect(check(list)).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'ScaledObject/alert-database-ingester-1.0.0',
      field: 'spec.triggers[0].metadata.consumerGroup',
      message: "KEDA reads the lag of consumer group 'alertdb-ingester' as KafkaUser 'alert-database-ingester', whose ACLs do not cover that group",
    }]);
  });

  test('fails when the ingester topic is not managed', () => {
    const env = withChanges(prod, { alertDatabase: { ingester: { topic: 'lsst-alerts-v12' } } });
    expect(() => synthesizeEnvironment(env)).toThrow(
      "usdfprod-prompt-processing: KafkaUser/alert-database-ingester spec.authorization.acls[0].resource.name: uses topic 'lsst-alerts-v12', which is neither managed here nor declared in externalTopics; add it to topics");
  });

  test('fails when an ingress routes to a missing Service port', () => {
    const list = objects();
    find(list, 'GafaelfawrIngress', 'kafbat').template.spec.rules[0].http.paths[0].backend.service.port = { number: 80 };
    expect(check(list)).toEqual([expect.objectContaining({
      resource: 'GafaelfawrIngress/kafbat',
      message: "talks to port 80 of Service 'kafbat', which serves only 8080, http",
    })]);
  });

  test('fails when the registry has no TLS user of its name, or a workload no ServiceAccount', () => {
    const list = objects().filter((o) => !(o.kind === 'KafkaUser' && o.metadata.name === 'sasquatch-schema-registry')
      && !(o.kind === 'ServiceAccount' && o.metadata.name === 'alertdb-reader'));
    expect(check(list).map((p) => `${p.resource} ${p.field}`)).toEqual([
      'StrimziSchemaRegistry/sasquatch-schema-registry metadata.name',
      'Deployment/alert-database-server-1.0.0 spec.template.spec.serviceAccountName',
    ]);
  });

  test('fails when a password user reads a Secret that is neither created nor declared', () => {
    const list = objects();
    find(list, 'KafkaUser', 'fink-usdf').spec.authentication.password.valueFrom.secretKeyRef.name = 'fink';
    expect(check(list)[0].message).toBe(
      "reads Secret 'fink', which nothing in the environment creates; create it here, or declare it in externalSecrets with its keys and who creates it");
    expect(check(list, withChanges(prod, { externalSecrets: [{ name: 'fink', keys: ['fink-usdf-password'], createdBy: 'test' }] }))).toEqual([]);
  });

  test('fails when an object names a Kafka cluster that does not exist', () => {
    const list = objects();
    find(list, 'KafkaTopic', 'lsst-alerts-v11').metadata.labels['strimzi.io/cluster'] = 'alert-broker';
    expect(check(list)).toEqual([expect.objectContaining({
      resource: 'KafkaTopic/lsst-alerts-v11',
      message: "refers to Kafka 'alert-broker', which the environment does not create",
    })]);
  });
});

describe('references: each check fails on its own', () => {
  const groupAcl = (resource: object, operations = ['Read', 'Describe']) => (list: any[]) => {
    const user = find(list, 'KafkaUser', 'alert-database-ingester');
    user.spec.authorization.acls = [...user.spec.authorization.acls.filter((a: any) => a.resource.type !== 'group'), { type: 'allow', resource, operations }];
    return list;
  };
  const kedaProblems = (edit: (list: any[]) => any[]) => check(edit(objects())).map((p) => p.field);

  test.each([
    ['the literal group', { type: 'group', name: 'alertdb-ingester', patternType: 'literal' }, ['Describe']],
    ['a prefix of the group', { type: 'group', name: 'alertdb-', patternType: 'prefix' }, ['Read']],
    ['any group', { type: 'group', name: '*', patternType: 'literal' }, ['All']],
    ['the literal group, pattern type left out', { type: 'group', name: 'alertdb-ingester' }, ['Describe']],
  ])("KEDA's consumer group is covered by %s", (_name, resource, operations) => {
    expect(kedaProblems(groupAcl(resource, operations))).toEqual([]);
  });

  test.each([
    ['another literal group', { type: 'group', name: 'alertdb', patternType: 'literal' }, ['Read']],
    ['a prefix of another group', { type: 'group', name: 'other-', patternType: 'prefix' }, ['Read']],
    ['a literal group that is only a prefix', { type: 'group', name: 'alertdb-', patternType: 'literal' }, ['Read']],
    ['the group, but only Write', { type: 'group', name: 'alertdb-ingester', patternType: 'literal' }, ['Write']],
    ['a topic of the group name', { type: 'topic', name: 'alertdb-ingester', patternType: 'literal' }, ['Read']],
  ])("KEDA's consumer group is not covered by %s", (_name, resource, operations) => {
    expect(kedaProblems(groupAcl(resource, operations))).toContain('spec.triggers[0].metadata.consumerGroup');
  });

  test('a missing ConfigMap key names the key and what the ConfigMap has', () => {
    const list = objects();
    find(list, 'Kafka', 'sasquatch').spec.kafka.metricsConfig.valueFrom.configMapKeyRef.key = 'metrics.yml';
    expect(check(list)).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Kafka/sasquatch',
      field: 'spec.kafka.metricsConfig',
      message: "reads key 'metrics.yml' of ConfigMap 'kafka-metrics', which has only kafka-metrics-config.yml",
    }]);
  });

  test('a missing VaultSecret leaves every reader of its Secret unresolved; the Vault Secret holds any key', () => {
    const list = objects();
    expect(check(list.filter((o) => o.kind !== 'VaultSecret')).map((p) => p.message)).toContain(
      "reads Secret 'sasquatch', which nothing in the environment creates; create it here, or declare it in externalSecrets with its keys and who creates it");
    find(list, 'Deployment', 'alert-database-ingester-1.0.0').spec.template.spec.containers[0].env
      .find((e: any) => e.valueFrom?.secretKeyRef?.name === 'sasquatch').valueFrom.secretKeyRef.key = 'ANY_KEY';
    expect(check(list)).toEqual([]);
  });

  test('a mounted volume the pod does not define is named with its container and mount', () => {
    const list = objects();
    const pod = find(list, 'Deployment', 'alert-database-ingester-1.0.0').spec.template.spec;
    pod.volumes = pod.volumes.filter((v: any) => v.name !== 'tmp');
    expect(check(list)).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'Deployment/alert-database-ingester-1.0.0',
      field: 'spec.template.spec.containers[0].volumeMounts[2]',
      message: "mounts volume 'tmp', which the pod does not define",
    }]);
  });

  test('an init container is checked like a container', () => {
    const list = objects();
    const pod = find(list, 'Deployment', 'alert-database-ingester-1.0.0').spec.template.spec;
    pod.initContainers = [{ name: 'init', image: 'x', volumeMounts: [{ name: 'nowhere', mountPath: '/x' }],
      env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'missing-secret', key: 'k' } } }, { name: 'B', valueFrom: { secretKeyRef: { name: 'missing-optional', key: 'k', optional: true } } }] }];
    expect(check(list).map((p) => `${p.field}: ${p.message.split(',')[0]}`)).toEqual([
      "spec.template.spec.initContainers[0].env[0].valueFrom.secretKeyRef: reads Secret 'missing-secret'",
      "spec.template.spec.initContainers[0].volumeMounts[0]: mounts volume 'nowhere'",
    ]);
  });
});

describe('references: every place an object names another is read, and reported at its field', () => {
  const ingester = (list: any[]) => find(list, 'Deployment', 'alert-database-ingester-1.0.0').spec.template.spec;
  const trigger = (list: any[]) => find(list, 'ScaledObject', 'alert-database-ingester-1.0.0').spec.triggers[0];
  const plainIngress = (annotations: object, port: object) => ({
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'plain', annotations },
    spec: { rules: [{ host: 'h.example.org', http: { paths: [{ path: '/p', pathType: 'Prefix', backend: { service: { name: 'kafbat', port } } }] } }] },
  });
  const lines = (list: any[]) => check(list).map((p) => `${p.resource} ${p.field}: ${p.message}`);

  test.each<[string, (list: any[]) => any[] | void, string[]]>([
    ['a key of a mounted Secret', (l) => { ingester(l).volumes[0].secret.items = [{ key: 'user.crt', path: 'a' }, { key: 'user.pem', path: 'b' }]; }, [
      "Deployment/alert-database-ingester-1.0.0 spec.template.spec.volumes[0].secret.items: reads key 'user.pem' of Secret 'alert-database-ingester', which has only user.crt, user.key, user.p12, user.password, ca.crt",
    ]],
    ['a mounted ConfigMap', (l) => { ingester(l).volumes.push({ name: 'cfg', configMap: { name: 'nowhere' } }); }, [
      "Deployment/alert-database-ingester-1.0.0 spec.template.spec.volumes[3].configMap.name: reads ConfigMap 'nowhere', which the environment does not create",
    ]],
    ['an address in the arguments', (l) => { ingester(l).containers[0].args[0] = '--kafka-host=sasquatch-kafka-bootstrap:9094'; }, [
      "Deployment/alert-database-ingester-1.0.0 spec.template.spec.containers[0].args: talks to port 9094 of Service 'sasquatch-kafka-bootstrap', which serves only 9092, 9093",
    ]],
    ['an address in the command, with the namespace and cluster domain', (l) => { ingester(l).containers[0].command = ['run', 'http://kafbat.sasquatch.svc.cluster.local:81/x']; }, [
      "Deployment/alert-database-ingester-1.0.0 spec.template.spec.containers[0].args: talks to port 81 of Service 'kafbat', which serves only 8080, http",
    ]],
    ['a ConfigMap key in the environment, unless optional', (l) => {
      ingester(l).containers[0].env.push({ name: 'A', valueFrom: { configMapKeyRef: { name: 'kafka-metrics', key: 'x' } } }, { name: 'B', valueFrom: { configMapKeyRef: { name: 'none', key: 'x', optional: true } } });
    }, [
      `Deployment/alert-database-ingester-1.0.0 spec.template.spec.containers[0].env[5].valueFrom.configMapKeyRef: reads key 'x' of ConfigMap 'kafka-metrics', which has only kafka-metrics-config.yml`,
    ]],
    ["KEDA's TriggerAuthentication", (l) => l.filter((o) => o.kind !== 'TriggerAuthentication'), [
      "ScaledObject/alert-database-ingester-1.0.0 spec.triggers[0].authenticationRef.name: refers to TriggerAuthentication 'alert-database-ingester-1.0.0-kafka-auth', which the environment does not create",
    ]],
    ["KEDA's bootstrap servers", (l) => { trigger(l).metadata.bootstrapServers = 'sasquatch-kafka-bootstrap.sasquatch:9000'; }, [
      "ScaledObject/alert-database-ingester-1.0.0 spec.triggers[0].metadata.bootstrapServers: talks to port 9000 of Service 'sasquatch-kafka-bootstrap', which serves only 9092, 9093",
    ]],
    ["KEDA's topic", (l) => { trigger(l).metadata.topic = 'nope'; }, [
      "ScaledObject/alert-database-ingester-1.0.0 spec.triggers[0].metadata.topic: uses topic 'nope', which is neither managed here nor declared in externalTopics; add it to topics",
    ]],
    ['nothing in a trigger that is not Kafka', (l) => { trigger(l).type = 'cpu'; trigger(l).metadata = { value: '50' }; }, []],
    ['a plain Ingress backend by port number, and its auth Secret', (l) => [...l, plainIngress({ 'nginx.ingress.kubernetes.io/auth-secret': 'basic' }, { number: 9 })], [
      "Ingress/plain spec.rules[0].http.paths[0].backend.service: talks to port 9 of Service 'kafbat', which serves only 8080, http",
      "Ingress/plain metadata.annotations.nginx.ingress.kubernetes.io/auth-secret: reads Secret 'basic', which nothing in the environment creates; create it here, or declare it in externalSecrets with its keys and who creates it",
    ]],
    ['a plain Ingress backend by port name', (l) => [...l, plainIngress({}, { name: 'http' })], []],
    ["a Gafaelfawr ingress's auth Secret", (l) => { find(l, 'GafaelfawrIngress', 'kafbat').template.metadata = { annotations: { 'nginx.ingress.kubernetes.io/auth-secret': 'kafbat' } }; }, [
      "GafaelfawrIngress/kafbat metadata.annotations.nginx.ingress.kubernetes.io/auth-secret: reads key 'auth' of Secret 'kafbat', which has only user.crt, user.key, user.p12, user.password, ca.crt",
    ]],
    ["Cruise Control's metrics ConfigMap", (l) => { find(l, 'Kafka', 'sasquatch').spec.cruiseControl.metricsConfig = { type: 'jmxPrometheusExporter', valueFrom: { configMapKeyRef: { name: 'cc-metrics', key: 'k' } } }; }, [
      "Kafka/sasquatch spec.cruiseControl.metricsConfig: reads ConfigMap 'cc-metrics', which the environment does not create",
    ]],
    ["a listener's certificate Secret", (l) => { find(l, 'Kafka', 'sasquatch').spec.kafka.listeners[2].configuration.brokerCertChainAndKey = { secretName: 'sasquatch-cluster-ca-cert', certificate: 'ca.crt', key: 'tls.key' }; }, [
      "Kafka/sasquatch spec.kafka.listeners[2].configuration.brokerCertChainAndKey: reads key 'tls.key' of Secret 'sasquatch-cluster-ca-cert', which has only ca.crt, ca.p12, ca.password",
    ]],
    ["a user's password Secret", (l) => { find(l, 'KafkaUser', 'fink-usdf').spec.authentication.password.valueFrom.secretKeyRef.name = 'fink'; }, [
      "KafkaUser/fink-usdf spec.authentication.password.valueFrom.secretKeyRef: reads Secret 'fink', which nothing in the environment creates; create it here, or declare it in externalSecrets with its keys and who creates it",
    ]],
    ['a literal topic of an ACL, but not a prefix or *', (l) => {
      const acls = find(l, 'KafkaUser', 'fink-usdf').spec.authorization.acls;
      acls.push({ type: 'allow', resource: { type: 'topic', name: 'x1' }, operations: ['Read'] }, { type: 'allow', resource: { type: 'topic', name: 'x2', patternType: 'prefix' }, operations: ['Read'] },
        { type: 'allow', resource: { type: 'topic', name: '*', patternType: 'literal' }, operations: ['Read'] }, { type: 'allow', resource: { type: 'group', name: 'x3', patternType: 'literal' }, operations: ['Read'] });
      return l;
    }, [expect.stringMatching(/^KafkaUser\/fink-usdf spec\.authorization\.acls\[\d+\]\.resource\.name: uses topic 'x1', /)] as any],
    ["the registry's topic", (l) => { find(l, 'StrimziSchemaRegistry', 'sasquatch-schema-registry').spec.registryTopic = 'schemas'; }, [
      "StrimziSchemaRegistry/sasquatch-schema-registry spec.registryTopic: uses topic 'schemas', which is neither managed here nor declared in externalTopics; add it to topics",
    ]],
    ["an object's Kafka cluster", (l) => { find(l, 'KafkaUser', 'fink-usdf').metadata.labels['strimzi.io/cluster'] = 'other'; }, [
      "KafkaUser/fink-usdf metadata.labels.strimzi.io/cluster: refers to Kafka 'other', which the environment does not create",
    ]],
  ])('%s', (_name, edit, expected) => {
    const list = objects();
    expect(lines(edit(list) ?? list)).toEqual(expected);
  });
});

describe('references: what the environment provides, and objects of any shape', () => {
  const ingester = (list: any[]) => find(list, 'Deployment', 'alert-database-ingester-1.0.0').spec.template.spec;
  test('provided: Secrets with their keys and makers, Services with ports by number and name, topics, users', () => {
    const env = withChanges(prod, { externalTopics: ['ext'], externalSecrets: [{ name: 'vendor', keys: ['k'], createdBy: 'the vendor' }] });
    const p = provided(env, [
      ...objects(),
      { kind: 'Secret', metadata: { name: 's' }, data: { a: 'x' }, stringData: { b: 'y' } },
      { kind: 'Service', metadata: { name: 'svc' }, spec: { ports: [{ port: 80, name: 'http' }, { port: 81 }] } },
      { kind: 'KafkaTopic', metadata: { name: 'resource-name' }, spec: { topicName: 'real.name' } },
    ]);
    const secret = (name: string) => { const s = p.secrets.get(name)!; return [s.by, s.keys && [...s.keys]]; };
    expect(secret('vendor')).toEqual(['external (the vendor)', ['k']]);
    expect(secret('s')).toEqual(['Secret/s', ['a', 'b']]);
    expect(secret('sasquatch')).toEqual(['VaultSecret/sasquatch', undefined]);
    expect(secret('fink-usdf')).toEqual(['KafkaUser/fink-usdf', ['password', 'sasl.jaas.config']]);
    expect(secret('alert-database-ingester')).toEqual(['KafkaUser/alert-database-ingester', ['user.crt', 'user.key', 'user.p12', 'user.password', 'ca.crt']]);
    expect(secret('sasquatch-clients-ca-cert')).toEqual(['Kafka/sasquatch', ['ca.crt', 'ca.p12', 'ca.password']]);
    expect([...p.services.get('svc')!.ports]).toEqual(['80', 'http', '81']);
    expect([...p.services.get('sasquatch-schema-registry')!.ports]).toEqual(['8081']);
    expect(['ext', 'real.name', '__consumer_offsets', '__transaction_state'].filter((t) => !p.topics.has(t))).toEqual([]);
    expect(p.topics.has('resource-name')).toBe(false);
    const local = environments['local-bootstrap'];
    if (local.vaultPathPrefix === undefined) expect(provided(local, []).secrets.get('sasquatch')?.by).toBe('created by hand (npm run secrets)');
  });

  test('objects without spec or metadata are read without a crash', () => {
    const list = [
      { kind: 'Deployment' }, { kind: 'Secret' }, { kind: 'ConfigMap', metadata: { name: 'c' } }, { kind: 'Service', metadata: { name: 'bare' } },
      { kind: 'KafkaTopic', metadata: { name: 't' } }, { kind: 'KafkaUser', metadata: { name: 'u' }, spec: {} }, { kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: {} } },
      { kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'x', volumeMounts: [{ name: 'v' }], env: [{ name: 'A', value: 'http://bare:80' }] }] } } } },
    ];
    expect(check(list).map((p) => `${p.resource} ${p.field}: ${p.message}`)).toEqual([
      "Deployment/d spec.template.spec.containers[0].env[0].value: talks to port 80 of Service 'bare', which serves no ports",
      "Deployment/d spec.template.spec.containers[0].volumeMounts[0]: mounts volume 'v', which the pod does not define",
    ]);
  });

  test.each(['StatefulSet', 'DaemonSet', 'Job'])('a %s is a workload: its ServiceAccount must exist', (kind) => {
    expect(check([{ kind, metadata: { name: 'w' }, spec: { template: { spec: { serviceAccountName: 'sa', containers: [] } } } }]).map((p) => p.message))
      .toEqual(["refers to ServiceAccount 'sa', which the environment does not create"]);
  });

  test('other kinds with a pod template, and the default ServiceAccount, are not checked', () => {
    const pod = { serviceAccountName: 'sa', containers: [{ name: 'x', volumeMounts: [{ name: 'v' }] }] };
    expect(check([{ kind: 'CronJob', metadata: { name: 'c' }, spec: { template: { spec: pod } } },
      { kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { serviceAccountName: 'default', containers: [] } } } }])).toEqual([]);
  });

  test('a ConfigMap mounted whole needs no key; a missing key lists every key there is', () => {
    const list = objects();
    list.push({ kind: 'ConfigMap', metadata: { name: 'two' }, data: { a: '1', b: '2' } });
    ingester(list).volumes.push({ name: 'cfg', configMap: { name: 'kafka-metrics' } });
    ingester(list).containers[0].env.push({ name: 'X', valueFrom: { configMapKeyRef: { name: 'two', key: 'c' } } });
    expect(check(list).map((p) => p.message)).toEqual(["reads key 'c' of ConfigMap 'two', which has only a, b"]);
  });

  test("Kafka's internal topics may be named in ACLs; a user without ACLs covers no group", () => {
    const list = objects();
    find(list, 'KafkaUser', 'fink-usdf').spec.authorization.acls.push({ type: 'allow', resource: { type: 'topic', name: '__transaction_state' }, operations: ['Describe'] });
    delete find(list, 'KafkaUser', 'alert-database-ingester').spec.authorization;
    expect(check(list).map((p) => p.field)).toEqual(['spec.triggers[0].metadata.consumerGroup']);
  });

  test('a kind nothing creates is reported, not a crash', () => {
    expect(check(objects().filter((o) => o.kind !== 'ServiceAccount')).map((p) => p.message)).toContain(
      "refers to ServiceAccount 'alertdb-reader', which the environment does not create");
  });
});

describe('extractReferences: optional parts left out are simply not read', () => {
  const refs = (o: object) => extractReferences([o], 'ns').map((r) => `${r.field} -> ${JSON.stringify(r.target)}`);

  test.each<[string, object, string[]]>([
    ['a ScaledObject without triggers', { kind: 'ScaledObject', metadata: { name: 's' }, spec: { scaleTargetRef: { name: 'd' } } }, ['spec.scaleTargetRef.name -> {"kind":"Deployment","name":"d"}']],
    ['a Kafka trigger without authentication, topic or group', { kind: 'ScaledObject', metadata: { name: 's' }, spec: { scaleTargetRef: { name: 'd' }, triggers: [{ type: 'kafka', metadata: { bootstrapServers: 'b:9092' } }] } }, [
      'spec.scaleTargetRef.name -> {"kind":"Deployment","name":"d"}',
      'spec.triggers[0].metadata.bootstrapServers -> {"kind":"Service","name":"b","port":"9092"}',
    ]],
    ['a Kafka trigger whose authentication has no client certificate', { kind: 'ScaledObject', metadata: { name: 's' }, spec: { scaleTargetRef: { name: 'd' }, triggers: [{ type: 'kafka', authenticationRef: { name: 'a' }, metadata: { consumerGroup: 'g' } }] } }, [
      'spec.scaleTargetRef.name -> {"kind":"Deployment","name":"d"}',
      'spec.triggers[0].authenticationRef.name -> {"kind":"TriggerAuthentication","name":"a"}',
    ]],
    ['a trigger that is not Kafka', { kind: 'ScaledObject', metadata: { name: 's' }, spec: { scaleTargetRef: { name: 'd' }, triggers: [{ type: 'cpu', metadata: { topic: 't', bootstrapServers: 'b:9092' } }] } }, ['spec.scaleTargetRef.name -> {"kind":"Deployment","name":"d"}']],
    ['a TriggerAuthentication without Secrets', { kind: 'TriggerAuthentication', metadata: { name: 'a' }, spec: {} }, []],
    ['an Ingress without rules, paths or backends', { kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ host: 'h' }, { http: { paths: [{ path: '/' }] } }] } }, []],
    ['an Ingress backend by port name', { kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ http: { paths: [{ backend: { service: { name: 's', port: { name: 'web' } } } }] } }] } }, [
      'spec.rules[0].http.paths[0].backend.service -> {"kind":"Service","name":"s","port":"web"}',
    ]],
    ['a Gafaelfawr ingress without a template', { kind: 'GafaelfawrIngress', metadata: { name: 'g' } }, []],
    ['a Gafaelfawr ingress backend', { kind: 'GafaelfawrIngress', metadata: { name: 'g' }, template: { spec: { rules: [{ http: { paths: [{ backend: { service: { name: 's', port: { number: 80 } } } }] } }] } } }, [
      'template.spec.rules[0].http.paths[0].backend.service -> {"kind":"Service","name":"s","port":"80"}',
    ]],
    ['a Kafka without metrics, Cruise Control or listeners', { kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: { metricsConfig: { type: 'jmxPrometheusExporter' } }, cruiseControl: {} } }, []],
    ['a KafkaUser without authentication or authorization', { kind: 'KafkaUser', metadata: { name: 'u' }, spec: { authentication: { type: 'scram-sha-512', password: {} } } }, []],
    ['a registry without its own topic', { kind: 'StrimziSchemaRegistry', metadata: { name: 'r' }, spec: {} }, ['metadata.name -> {"kind":"TlsUser","name":"r"}']],
    ['a cluster label on a kind Strimzi does not own, and a pool', { kind: 'ConfigMap', metadata: { name: 'c', labels: { 'strimzi.io/cluster': 'x' } } }, []],
    ['a node pool of a cluster', { kind: 'KafkaNodePool', metadata: { name: 'p', labels: { 'strimzi.io/cluster': 'x' } } }, ['metadata.labels.strimzi.io/cluster -> {"kind":"Kafka","name":"x"}']],
    ['a registry of a cluster', { kind: 'StrimziSchemaRegistry', metadata: { name: 'r', labels: { 'strimzi.io/cluster': 'x' } }, spec: {} }, [
      'metadata.name -> {"kind":"TlsUser","name":"r"}', 'metadata.labels.strimzi.io/cluster -> {"kind":"Kafka","name":"x"}',
    ]],
    ['a workload with bare containers and volumes', { kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c' }], volumes: [{ name: 'e', emptyDir: {} }] } } } }, []],
    ['an address after a space, with one-letter names', { kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'c', args: ['connect to a:81'], command: ['x=b.ns:82'] }] } } } }, [
      'spec.template.spec.containers[0].args -> {"kind":"Service","name":"b","port":"82"}',
      'spec.template.spec.containers[0].args -> {"kind":"Service","name":"a","port":"81"}',
    ]],
  ])('%s', (_name, object, expected) => {
    expect(refs(object)).toEqual(expected);
  });
});

describe("KEDA's consumer group is read as the user of its own TriggerAuthentication's client certificate", () => {
  const scaled = (metadata: object) => ({ kind: 'ScaledObject', metadata: { name: 's' }, spec: { scaleTargetRef: { name: 'd' }, triggers: [{ type: 'kafka', authenticationRef: { name: 'a' }, metadata }] } });
  const auth = (kind: string, name: string, spec?: object) => ({ kind, metadata: { name }, spec });
  const groups = (...objects: object[]) => extractReferences(objects, 'ns').filter((r) => r.target.kind === 'ConsumerGroup').map((r) => r.target);

  test('found by kind and name, with a cert parameter and a group', () => {
    const cert = { secretTargetRef: [{ parameter: 'ca', name: 'ca-secret' }, { parameter: 'cert', name: 'u' }] };
    expect(groups(scaled({ consumerGroup: 'g' }), auth('TriggerAuthentication', 'a', cert))).toEqual([{ kind: 'ConsumerGroup', name: 'g', asUser: 'u' }]);
    expect(groups(scaled({ consumerGroup: 'g' }), auth('TriggerAuthentication', 'other', cert), auth('Secret', 'a', cert))).toEqual([]);
    expect(groups(scaled({}), auth('TriggerAuthentication', 'a', cert))).toEqual([]);
    expect(groups(scaled({ consumerGroup: 'g' }), auth('TriggerAuthentication', 'a', { secretTargetRef: [{ parameter: 'ca', name: 'x' }] }))).toEqual([]);
    expect(groups(scaled({ consumerGroup: 'g' }), auth('TriggerAuthentication', 'a', {}))).toEqual([]);
  });

  test('an ACL with Describe among other operations covers the group', () => {
    const list = objects();
    const user = find(list, 'KafkaUser', 'alert-database-ingester');
    user.spec.authorization.acls = [{ type: 'allow', resource: { type: 'group', name: 'alertdb-ingester', patternType: 'literal' }, operations: ['Write', 'Describe'] }];
    expect(check(list).map((p) => p.field)).not.toContain('spec.triggers[0].metadata.consumerGroup');
  });
});

describe('references: parts an object may leave out, and the addresses clients write', () => {
  const refs = (o: object) => extractReferences([o], 'ns').map((r) => `${r.field} -> ${JSON.stringify(r.target)}`);
  const job = (arg: string) => ({ kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { containers: [{ name: 'c', args: [arg] }] } } } });

  test.each<[string, string, string[]]>([
    ['another namespace', '--to=b.n:82', []],
    ['its namespace, with and without the cluster suffixes', '--to=b.ns:82 and c.ns.svc:83 and d.ns.svc.cluster.local:84', [
      'spec.template.spec.containers[0].args -> {"kind":"Service","name":"b","port":"82"}',
      'spec.template.spec.containers[0].args -> {"kind":"Service","name":"c","port":"83"}',
      'spec.template.spec.containers[0].args -> {"kind":"Service","name":"d","port":"84"}',
    ]],
  ])('an address with %s', (_name, arg, expected) => {
    expect(refs(job(arg))).toEqual(expected);
  });

  test("an address in another namespace is not this environment's, even with a one-letter namespace or .svc", () => {
    expect(extractReferences([job('--to=b.n:82 c.x.svc:83')], 'n').map((r) => JSON.stringify(r.target))).toEqual(['{"kind":"Service","name":"b","port":"82"}']);
  });

  test('an Ingress backend without a port is reported as talking to no port', () => {
    const ingress = { kind: 'Ingress', metadata: { name: 'i' }, spec: { rules: [{ http: { paths: [{ backend: { service: { name: 'web' } } }] } }] } };
    const service = { kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } };
    expect(check([ingress, service]).map((p) => p.message)).toEqual(["talks to port (none) of Service 'web', which serves only 80"]);
  });

  test('Cruise Control metrics without a ConfigMap, a workload without a pod template: nothing read, no crash', () => {
    expect(refs({ kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: {}, cruiseControl: { metricsConfig: { type: 'jmxPrometheusExporter' } } } })).toEqual([]);
    expect(check([{ kind: 'Deployment', metadata: { name: 'd' }, spec: {} }])).toEqual([]);
  });

  test('a container without volume mounts mounts nothing', () => {
    expect(check([{ kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'c' }] } } } }])).toEqual([]);
  });

  test('a Kafka without a spec or listeners provides no bootstrap port; a TLS user without a spec is not one', () => {
    expect(check([{ kind: 'Kafka', metadata: { name: 'k' } }, { kind: 'Kafka', metadata: { name: 'l' }, spec: {} }])).toEqual([]);
    const registry = { kind: 'StrimziSchemaRegistry', metadata: { name: 'r' }, spec: {} };
    for (const user of [{ kind: 'KafkaUser', metadata: { name: 'r' } }, { kind: 'KafkaUser', metadata: { name: 'r' }, spec: {} }]) {
      expect(check([registry, user]).map((p) => p.message)).toEqual(["the registry operator connects as KafkaUser 'r' with a client certificate; create that TLS user"]);
    }
  });

  test("KEDA's TriggerAuthentication without a spec names no user; a user without a spec covers no group", () => {
    const scaled = { kind: 'ScaledObject', metadata: { name: 's' }, spec: { scaleTargetRef: { name: 'd' }, triggers: [{ type: 'kafka', authenticationRef: { name: 'a' }, metadata: { consumerGroup: 'g' } }] } };
    expect(extractReferences([scaled, { kind: 'TriggerAuthentication', metadata: { name: 'a' } }], 'ns').map((r) => r.target.kind)).toEqual(['Deployment', 'TriggerAuthentication']);
    const auth = { kind: 'TriggerAuthentication', metadata: { name: 'a' }, spec: { secretTargetRef: [{ parameter: 'cert', name: 'u', key: 'user.crt' }] } };
    expect(check([scaled, auth, { kind: 'KafkaUser', metadata: { name: 'u' } }]).map((p) => p.message))
      .toContain("KEDA reads the lag of consumer group 'g' as KafkaUser 'u', whose ACLs do not cover that group");
  });
});
