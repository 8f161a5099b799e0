/**
 * A corpus of bad inputs — broken environments and damaged outputs — each
 * refused by the command a user runs, with one clear message, a non-zero exit
 * code, no stack trace, and the previous output left as it was.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runPlan } from '../../cli/plan';
import { runSynth } from '../../cli/synth';
import { runValidate } from '../../cli/validate';
import { Environment, environments } from '../../lib/environments';
import { runCommand, SHARED_CRDS } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];
const dev = environments['usdfdev-prompt-processing'];
type Mutable = { -readonly [K in keyof any]: any };
const mutate = (base: Environment, change: (env: Mutable) => void): Environment => {
  const env = structuredClone(base) as Mutable;
  change(env);
  return env as Environment;
};


let work: string;
let dist: string;
let snapshot: Map<string, string>;
const readTree = (dir: string) => new Map(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
  .filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-'));
  dist = path.join(work, 'dist');
  expect(runCommand(runSynth, ['--out', dist]).code).toBe(0);
  snapshot = readTree(dist);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const badEnvironments: Array<[string, Environment, string]> = [
  ['a broker without a pinned IP', mutate(prod, (e) => e.externalListener.brokers.pop()),
    "Kafka/sasquatch externalListener.brokers: broker 9 has no pinned load-balancer IP and host"],
  ['a pinned entry for a controller', mutate(prod, (e) => { e.externalListener.brokers[0].nodeId = 0; }),
    'Kafka/sasquatch externalListener.brokers[0].nodeId: broker 0 is not a node of the broker pool'],
  ['two brokers on one IP', mutate(prod, (e) => { e.externalListener.brokers[1].ip = e.externalListener.brokers[0].ip; }),
    'Kafka/sasquatch externalListener.brokers[1].ip: broker 6: IP 134.79.23.212 is also pinned to broker 5'],
  ['an IP that is not IPv4', mutate(prod, (e) => { e.externalListener.bootstrap.ip = '134.79.23.999'; }),
    "Environment externalListener.bootstrap.ip: '134.79.23.999' is not a dotted-quad IPv4 address"],
  ['two brokers on one host', mutate(prod, (e) => { e.externalListener.brokers[2].host = e.externalListener.bootstrap.host; }),
    'Kafka/sasquatch externalListener.brokers[2].host: broker 7: host rubin-alert-stream-bootstrap.slac.stanford.edu is also used by bootstrap'],
  ['a host that is not a DNS name', mutate(prod, (e) => { e.externalListener.brokers[0].host = 'broker_5'; }),
    "Environment externalListener.brokers[0].host: 'broker_5' is not a DNS host name"],
  ['a node id in both pools', mutate(dev, (e) => { e.brokers.nodeIds[0] = 0; e.externalListener.brokers[0].nodeId = 0; }),
    'KafkaNodePool/kafka brokers.nodeIds[0]: node id 0 is already used by controllers.nodeIds'],
  ['a negative node id', mutate(dev, (e) => { e.controllers.nodeIds[0] = -1; }),
    'Environment controllers.nodeIds[0]: -1 is out of range: must be 0 to 2147483647'],
  ['an empty controller pool', mutate(dev, (e) => { e.controllers.nodeIds = []; }),
    'KafkaNodePool/controller controllers.nodeIds: no node ids; a pool needs at least one node'],
  ['more replicas than brokers', mutate(prod, (e) => { e.kafka.replicationFactor = 7; }),
    'Kafka/sasquatch kafka.replicationFactor: 7 replicas, but the broker pool has 5 brokers'],
  ['min ISR equal to the replication factor', mutate(prod, (e) => { e.kafka.minInsyncReplicas = 3; }),
    'Kafka/sasquatch kafka.minInsyncReplicas: 3 is not below the replication factor (3)'],
  ['a topic with more replicas than brokers', mutate(prod, (e) => { e.topics[2].replicas = 9; }),
    'KafkaTopic/lsst-alerts-v11 topics[2].replicas: 9 replicas, but the cluster has 5 brokers'],
  ['a topic without partitions', mutate(prod, (e) => { e.topics[0].partitions = 0; }),
    'Environment topics[0].partitions: 0 is out of range: must be 1 to 2147483647'],
  ['an invalid topic name', mutate(prod, (e) => { e.topics[0].name = 'alert stream test'; }),
    "Environment topics[0].name: 'alert stream test' is not a Kafka topic name"],
  ['two topics that collide', mutate(prod, (e) => { e.topics.push({ name: 'alerts_simulated', partitions: 1 }); }),
    "KafkaTopic/alerts_simulated topics[3].name: 'alerts_simulated' collides with 'alerts-simulated'"],
  ['the registry topic declared again', mutate(prod, (e) => { e.topics.push({ name: 'registry-schemas', partitions: 1 }); }),
    "KafkaTopic/registry-schemas topics[3].name: 'registry-schemas' is created by the schema registry; remove it from topics"],
  ['a topic both managed and external', mutate(prod, (e) => { e.externalTopics = ['alerts-simulated']; }),
    "KafkaTopic/alerts-simulated topics[1].name: 'alerts-simulated' is also listed in externalTopics"],
  ['a community topic that does not exist', mutate(prod, (e) => { e.users.communityReadonlyTopics.push('lsst-alerts-v12'); }),
    "KafkaUser/<every community broker> users.communityReadonlyTopics[2]: topic 'lsst-alerts-v12' is neither in topics nor in externalTopics"],
  ['a service account on every topic', mutate(prod, (e) => { e.users.writeOnly[0].topics = ['*']; }),
    "Environment users.writeOnly[0].topics[0]: '*' is not a Kafka topic name"],
  ['a community broker that is also a writer', mutate(prod, (e) => { e.users.writeOnly[0].username = 'fink-usdf'; }),
    "KafkaUser/fink-usdf users.writeOnly[0].username: user 'fink-usdf' is already defined by users.communityBrokers[4]"],
  ['an invalid user name', mutate(prod, (e) => { e.users.communityBrokers[0] = 'Alerce USDF'; }),
    "Environment users.communityBrokers[0]: 'Alerce USDF' is not a Kubernetes object name"],
  ['a user named like the super user', mutate(prod, (e) => { e.users.developers.push('kafka-admin'); }),
    "KafkaUser/kafka-admin users.developers[1]: user 'kafka-admin' is already defined by kafka.superUser"],
  ['more ingesters than partitions', mutate(prod, (e) => { e.alertDatabase.ingester.autoscaling.maxReplicas = 46; }),
    "ScaledObject/alert-database-ingester-1.0.0 alertDatabase.ingester.autoscaling.maxReplicas: 46 replicas, but topic 'lsst-alerts-v11' has 45 partitions"],
  ['too few nodes for the anti-affinity', mutate(prod, (e) => { e.schedulableNodes = 8; }),
    'KafkaNodePool/* schedulableNodes: the Kafka pods need at least 11 nodes'],
  ['two ingresses on one route', mutate(prod, (e) => { e.schemaRegistry.ingress = { host: e.host, path: '/v1' }; }),
    'GafaelfawrIngress/sasquatch-alert-database rules[0].http.paths[0]: route usdfprod-prompt-processing.slac.stanford.edu/v1(/|$)(.*) is also served by'],
  ['an ingester topic nobody manages', mutate(prod, (e) => { e.alertDatabase.ingester.topic = 'lsst-alerts-v12'; }),
    "KafkaUser/alert-database-ingester spec.authorization.acls[0].resource.name: uses topic 'lsst-alerts-v12', which is neither managed here nor declared in externalTopics"],
  ['plain nginx without the basic-auth Secrets', mutate(prod, (e) => { e.ingressController = 'nginx'; }),
    "Ingress/kafbat metadata.annotations.nginx.ingress.kubernetes.io/auth-secret: reads Secret 'kafbat-basic-auth', which nothing in the environment creates"],
  ['a missing field', mutate(prod, (e) => { delete e.kafka.version; }),
    'Environment kafka.version: is missing; every environment must set it'],
  ['a misspelled field', mutate(prod, (e) => { e.brokers.storageClas = e.brokers.storageClass; }),
    'Environment brokers.storageClas: is not a field of this object (misspelled?)'],
  ['a value of the wrong type', mutate(prod, (e) => { e.kafka.replicationFactor = '3'; }),
    "Environment kafka.replicationFactor: must be integer, not '3'"],
  ['a size that is not a quantity', mutate(prod, (e) => { e.controllers.storageSize = '100G'; }),
    "Environment controllers.storageSize: '100G' is not a Kubernetes memory or storage quantity above zero, in binary units"],
  ['an unknown choice', mutate(prod, (e) => { e.brokers.podAntiAffinity = 'strict'; }),
    'Environment brokers.podAntiAffinity: \'strict\' is not allowed; must be one of "required", "preferred", "none"'],
  ['a list that is not a list', mutate(prod, (e) => { e.users.communityBrokers = 'fink-usdf'; }),
    'Environment users.communityBrokers: must be array'],
];

describe('npm run synth refuses bad environments', () => {
  test(`the corpus has at least 30 bad environments (${badEnvironments.length})`, () => {
    expect(badEnvironments.length).toBeGreaterThanOrEqual(30);
  });

  test.each(badEnvironments)('fails when given %s', (_, env, message) => {
    const result = runCommand(runSynth, ['--out', dist], { environments: { [env.name]: env } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${env.name}: ${message}`);
    expect(result.stderr.startsWith('synth: refused; nothing was written.\n')).toBe(true);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(readTree(dist)).toEqual(snapshot);
  });
});

/** A copy of dist/ with one file of usdfprod edited. */
function damaged(file: string, edit: (text: string) => string): string {
  const copy = fs.mkdtempSync(path.join(work, 'damaged-'));
  fs.cpSync(dist, copy, { recursive: true });
  const target = path.join(copy, prod.name, file);
  fs.writeFileSync(target, edit(fs.readFileSync(target, 'utf8')));
  return copy;
}

const badOutputs: Array<[string, string, (t: string) => string, string]> = [
  ['an unknown field in the Kafka resource', '0003-kafka.k8s.yaml', (t) => t.replace('    authorization:', '    authorisation:'),
    "Kafka/sasquatch /spec/kafka: unknown field 'authorisation'"],
  ['a string where the CRD wants an integer', '0001-controller-pool.k8s.yaml', (t) => t.replace('replicas: 5', 'replicas: five'),
    'KafkaNodePool/controller /spec/replicas: must be integer'],
  ['a value outside an enum', '0007-services.k8s.yaml', (t) => t.replace('type: scram-sha-512', 'type: scram-sha-256'),
    '/spec/authentication/type: must be equal to one of the allowed values'],
  ['an unknown kind', '0004-schema-registry.k8s.yaml', (t) => `${t}---\napiVersion: v1\nkind: Widget\nmetadata:\n  name: w\n`,
    'Widget/w /apiVersion: unknown kind v1 Widget'],
  ['broken YAML', '0005-registry-ingress.k8s.yaml', (t) => `${t}  - [broken\n`, 'GafaelfawrIngress/sasquatch-schema-registry line'],
  ['a spec that is null', '0001-controller-pool.k8s.yaml', (t) => t.replace(/\nspec:\n( {2}.*\n)+/, '\nspec: null\n'),
    'KafkaNodePool/controller /spec: must be object'],
  ['a PodMonitor whose spec is null, for the rules that span objects', '0003-kafka.k8s.yaml', (t) => t.replace(/\nspec:\n( {2}.*\n)+/, '\nspec: null\n'),
    'PodMonitor/cluster-operator-metrics /spec: must be object'],
  ['a Kafka whose spec is null, which the rules that span objects read', '0003-kafka.k8s.yaml', (t) => t.replace(/(\nkind: Kafka\n(?:.*\n)*?)spec:\n( {2}.*\n)+/, '$1spec: null\n'),
    'Kafka/sasquatch /spec: must be object'],
  ['an alias bomb', '0004-schema-registry.k8s.yaml',
    (t) => `${t}---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n`,
    ') /: cannot be read: '],
  ['an object without metadata.name', '0005-registry-ingress.k8s.yaml', (t) => `${t}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: sasquatch\n`,
    '/: not a Kubernetes object: metadata.name missing or not a string'],
  ['a Secret reference to nothing', '0007-services.k8s.yaml', (t) => t.replace('secretName: alert-database-ingester', 'secretName: alert-database-ingestor'),
    "Deployment/alert-database-ingester-1.0.0 spec.template.spec.volumes[0].secret.secretName: reads Secret 'alert-database-ingestor'"],
];

describe('npm run validate refuses damaged outputs', () => {
  test.each(badOutputs)('fails when given %s', (_, file, edit, message) => {
    const result = runCommand(runValidate, ['--crds', SHARED_CRDS, '--dir', damaged(file, edit), '--env', prod.name]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(message);
  });
});

test('npm run validate: a folder named like a manifest is an unusable path (exit 2), never a crash', () => {
  const copy = damaged('0001-controller-pool.k8s.yaml', (t) => t);
  fs.mkdirSync(path.join(copy, prod.name, 'extra.k8s.yaml'));
  const result = runCommand(runValidate, ['--crds', SHARED_CRDS, '--dir', copy, '--env', prod.name]);
  expect(result).toMatchObject({ code: 2, stderr: `validate: ${path.join(copy, prod.name, 'extra.k8s.yaml')} is not a file; a manifest folder holds only manifest files\n` });
});

describe('npm run plan refuses unusable previous outputs', () => {
  test('fails when the previous output is broken YAML', () => {
    const result = runCommand(runPlan, ['--env', prod.name, '--from', damaged('0003-kafka.k8s.yaml', (t) => `${t}: :\n`)]);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/^plan: .*0003-kafka\.k8s\.yaml: Kafka\/sasquatch line \d+: not valid YAML/) });
  });

  test('fails when the previous output is not Kubernetes objects', () => {
    const result = runCommand(runPlan, ['--env', prod.name, '--from', damaged('0003-kafka.k8s.yaml', () => 'just: data\n')]);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/0003-kafka\.k8s\.yaml: \(document 1\) \/: not a Kubernetes object: apiVersion, kind, metadata\.name missing or not a string\n$/) });
  });
});
