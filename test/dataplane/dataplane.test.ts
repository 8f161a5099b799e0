/**
 * The alert data plane on real Apache Kafka (npm run test:dataplane): for each USDF environment, a three-node KRaft
 * cluster at the environment's kafka.version runs the broker configuration its Kafka resource implies; every
 * KafkaUser and KafkaTopic is made as Strimzi's operators make them (test/dataplane/strimzi.ts); then Kafka's own
 * Java client tries every user x topic x operation and every consumer group, and each outcome must be what the
 * manual grants (test/dataplane/access-rules.ts); one real alert goes from the prompt-processing account to a
 * community broker; and the schema-sync Job's own commands run against lsst-alert-packet's own entry point.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environments } from '../../lib/environments';
import { DATAPLANE_ENVIRONMENTS } from './environments';
import type { Environment } from '../../lib/environments';
import { KubeObject, synthesizeEnvironment } from '../../lib/synthesize';
import { candidateGroups, expectedGroup, expectedTopic, GROUP_OPERATIONS, roles, TOPIC_OPERATIONS } from './access-rules';
import { fetched, issueCertificate, KafkaCluster, ServedListener, startKafkaCluster } from './kafka-cluster';
import { compileProbe, Probe } from './probe';
import { startRegistryStandIn } from './registry-stand-in';
import { AclBindingSpec, brokerSetup, BrokerSetup, kafkaTopicSpec, kafkaUserSpec, TopicSpec, UserSpec } from './strimzi';

const ENVIRONMENTS = DATAPLANE_ENVIRONMENTS;
const NODES = 3;

type Outcome = { outcome: 'allowed' | 'denied' | 'refused' | 'error'; detail?: string };
interface Check { id: string; client: Client; kind: 'topic' | 'group' | 'connect'; operation: string; resource: string; topic?: string }
interface Client { name: string; bootstrap: string; protocol: string; username?: string; password?: string; ca?: string; keystore?: string; acks?: string; timeoutMs?: number }

const summaries: string[] = [];
afterAll(() => {
  for (const line of summaries) process.stdout.write(`${line}\n`);
});

describe.each(ENVIRONMENTS)('%s on real Kafka', (envName) => {
  const env: Environment = environments[envName];
  let objects: KubeObject[];
  let setup: BrokerSetup;
  let cluster: KafkaCluster | undefined;
  let probe: Probe | undefined;
  let users: UserSpec[];
  let topics: TopicSpec[];
  const passwords = new Map<string, string>();
  const keystores = new Map<string, string>();
  const tally = { users: 0, topics: 0, checks: 0, unexpected: 0, alert: '' };

  const listener = (authentication: ServedListener['authentication'], type?: string): ServedListener => {
    const found = cluster!.listeners.find((l) => l.authentication === authentication && (type === undefined || l.name.startsWith(type)));
    if (!found) throw new Error(`the Kafka resource has no ${authentication} listener${type ? ` named ${type}` : ''}`);
    return found;
  };
  /** How a user connects: SCRAM users over the plain (internal) listener, TLS users with their certificate. */
  const clientOf = (user: UserSpec): Client => {
    if (user.authentication === 'tls') {
      const l = listener('tls');
      return { name: user.name, bootstrap: l.bootstrap, protocol: l.protocol, ca: cluster!.clusterCaCert, keystore: keystores.get(user.name) };
    }
    const l = listener('scram-sha-512', 'PLAIN');
    return { name: user.name, bootstrap: l.bootstrap, protocol: l.protocol, username: user.name, password: passwords.get(user.name), ca: cluster!.clusterCaCert };
  };

  const phase = (what: string, since: number) => {
    if (process.env.DATAPLANE_TIMINGS) process.stderr.write(`${envName}: ${what} ${Date.now() - since} ms\n`);
  };

  beforeAll(async () => {
    const t0 = Date.now();
    objects = synthesizeEnvironment(env).flatMap((m) => m.objects);
    phase('synthesized', t0);
    const kafka = objects.find((o) => o.kind === 'Kafka')!;
    setup = brokerSetup(kafka);
    // The version under test is the environment's, as the Kafka resource carries it.
    expect(setup.version).toBe(env.kafka.version);
    const kafkaHome = fetched('kafka', setup.version);
    probe = compileProbe(kafkaHome);
    topics = [
      ...objects.filter((o) => o.kind === 'KafkaTopic').map((t) => kafkaTopicSpec(t, NODES)),
      // Granted to the brokers but created outside this deployment: they exist on the real cluster, with defaults here.
      ...(env.externalTopics ?? []).map((name) => ({ name, partitions: 1, replicas: NODES, config: {} })),
    ];
    users = objects.filter((o) => o.kind === 'KafkaUser').map(kafkaUserSpec);
    for (const u of users) if (u.authentication === 'scram-sha-512') passwords.set(u.name, randomBytes(12).toString('hex'));
    const admin = env.kafka.superUser;
    cluster = await startKafkaCluster({
      kafkaHome,
      nodes: NODES,
      clusterName: kafka.metadata.name,
      listeners: setup.listeners.map(({ name, protocol, authentication }) => ({ name, protocol, authentication })),
      config: setup.config,
      bootstrapScram: { username: admin, password: passwords.get(admin)! },
    });
    phase('cluster started', t0);
    const certs = path.join(cluster.dir, 'certs');
    for (const u of users) {
      if (u.authentication === 'tls') keystores.set(u.name, issueCertificate(certs, 'clients-ca', `user-${u.name}`, `/CN=${u.name}`));
    }
  });

  afterAll(async () => {
    const t0 = Date.now();
    await cluster?.stop();
    phase('cluster stopped', t0);
    probe?.dispose();
    if (tally.checks > 0) {
      summaries.push(`dataplane: ${tally.users} users x ${tally.topics} topics x ${TOPIC_OPERATIONS.length} operations checked on Kafka ${setup.version}, ` +
        `${tally.unexpected} unexpected; ${tally.alert} (${envName}: ${tally.checks} checks with consumer groups and refused clients)`);
    }
  });

  const adminClient = () => clientOf(users.find((u) => u.name === env.kafka.superUser)!);

  test("Kafka's own validation (KafkaConfig) accepts the broker configuration, and the cluster runs it", () => {
    const validated = probe!.validateConfig(cluster!.nodeConfigFiles[0]);
    expect(validated).toEqual({ valid: true, brokerId: 0 });
    const written = fs.readFileSync(cluster!.nodeConfigFiles[0], 'utf8');
    for (const [key, value] of Object.entries(setup.config)) expect(written).toContain(`${key}=${value}\n`);
  });

  test("every KafkaUser and KafkaTopic made as Strimzi's operators make them; Kafka accepts every topic config", async () => {
    const answer = await probe!.run<{ topics: Array<{ name: string; created: boolean; error?: string }>; described: Array<{ name: string; partitions: number; replicas: number; config: Record<string, string> }> }>({
      action: 'setup',
      admin: adminClient(),
      brokers: NODES,
      scramUsers: users.filter((u) => u.authentication === 'scram-sha-512').map((u) => ({ name: u.name, password: passwords.get(u.name) })),
      aclBindings: users.flatMap((u) => u.bindings),
      topics,
    });
    if (process.env.DATAPLANE_TIMINGS) process.stderr.write(`setup: ${JSON.stringify((answer as any).ms)}\n`);
    expect(answer.topics.filter((t) => !t.created)).toEqual([]);
    expect(answer.described).toEqual(topics.map((t) => ({ name: t.name, partitions: t.partitions, replicas: t.replicas, config: t.config })));
  });

  /** Every check of the matrix for these users, with what the manual says of each (true: allowed). */
  const matrixChecks = (of: readonly UserSpec[]) => {
    const table = roles(env);
    const groups = candidateGroups(env);
    const checks: Check[] = [];
    const expected = new Map<string, boolean>();
    for (const user of of) {
      const role = table.get(user.name)!;
      const client = clientOf(user);
      // For the group checks: a topic the user may read, else one it may describe (see DataPlaneProbe's group:Read).
      const readable = (topics.find((t) => role.reads(t.name)) ?? topics.find((t) => role.describes(t.name)))?.name;
      if (!readable) throw new Error(`${user.name} may describe no topic: its group checks need one`);
      for (const topic of topics) {
        for (const operation of TOPIC_OPERATIONS) {
          const id = `${user.name} (${role.kind}): ${operation} topic ${topic.name}`;
          checks.push({ id, client, kind: 'topic', operation, resource: topic.name });
          expected.set(id, expectedTopic(role, topic.name, operation));
        }
      }
      for (const group of groups) {
        for (const operation of GROUP_OPERATIONS) {
          const id = `${user.name} (${role.kind}): ${operation} group ${group}`;
          checks.push({ id, client, kind: 'group', operation, resource: group, topic: readable });
          expected.set(id, expectedGroup(role, group, operation));
        }
      }
    }
    return { checks, expected };
  };
  /** Runs the checks on Kafka: one line per outcome that is not what the manual says, naming user, resource and operation. */
  const unexpectedOutcomes = async ({ checks, expected }: ReturnType<typeof matrixChecks>) => {
    const { results } = await probe!.run<{ results: Record<string, Outcome> }>({ action: 'matrix', checks });
    const wrong: string[] = [];
    for (const check of checks) {
      const got = results[check.id];
      const want = expected.get(check.id) ? 'allowed' : 'denied';
      if (got?.outcome !== want) wrong.push(`${check.id}: the manual says ${want}, Kafka said ${got?.outcome}${got?.detail ? ` (${got.detail})` : ''}`);
    }
    return wrong;
  };

  test('the access matrix: every user x topic x {Read, Write, Describe} and every consumer group is what the manual grants', async () => {
    const table = roles(env);
    expect(users.filter((u) => !table.has(u.name)).map((u) => u.name)).toEqual([]); // a KafkaUser the manual's table has no row for
    // Every user of the environment is in the matrix: the password users of its user lists and the services' TLS users.
    const listed = [...env.users.communityBrokers, ...env.users.developers, ...env.users.readWrite.map((u) => u.username), ...env.users.writeOnly.map((u) => u.username)];
    expect(listed.filter((name) => !users.some((u) => u.name === name))).toEqual([]);
    const matrix = matrixChecks(users);
    const wrong = await unexpectedOutcomes(matrix);
    tally.users = users.length;
    tally.topics = topics.length;
    tally.checks += matrix.checks.length;
    tally.unexpected += wrong.length;
    expect(wrong).toEqual([]);
  });

  test('an ACL made broader, or one a service needs dropped, in a KafkaUser fails the matrix naming the user, the resource and the operation', async () => {
    // Two KafkaUsers changed as a careless edit would change them: a community broker's grant on the alert topic
    // gains Write, and the ingester's grant on its consumer group loses Read. The user operator's translation of the
    // changed objects is applied to Kafka, the matrix is run for the two users, and the change is undone.
    const broker = env.users.communityBrokers[0];
    const ingester = 'alert-database-ingester';
    const alertTopic = env.alertDatabase!.ingester.topic;
    const edit = (name: string, change: (acl: any) => any) => {
      const object = objects.find((o) => o.kind === 'KafkaUser' && o.metadata.name === name)!;
      const spec = object.spec as any;
      return kafkaUserSpec({ ...object, spec: { ...spec, authorization: { ...spec.authorization, acls: spec.authorization.acls.map(change) } } });
    };
    const broader = edit(broker, (acl) => (acl.resource.type === 'topic' && acl.resource.name === alertTopic ? { ...acl, operations: [...acl.operations, 'Write'] } : acl));
    const narrower = edit(ingester, (acl) => (acl.resource.type === 'group' ? { ...acl, operations: acl.operations.filter((o: string) => o !== 'Read') } : acl));
    const before = users.filter((u) => u.name === broker || u.name === ingester).flatMap((u) => u.bindings);
    const after = [...broader.bindings, ...narrower.bindings];
    const same = (a: AclBindingSpec, b: AclBindingSpec) => JSON.stringify(a) === JSON.stringify(b);
    const add = after.filter((b) => !before.some((a) => same(a, b)));
    const remove = before.filter((b) => !after.some((a) => same(a, b)));
    expect(add.map((b) => `${b.principal} ${b.operation} ${b.resourceType} ${b.name}`)).toEqual([`User:${broker} WRITE TOPIC ${alertTopic}`]);
    expect(remove.map((b) => `${b.principal} ${b.operation} ${b.resourceType} ${b.name}`)).toEqual([`User:CN=${ingester} READ GROUP alertdb-ingester`]);
    await probe!.run({ action: 'acls', admin: adminClient(), add, remove });
    let wrong: string[];
    try {
      wrong = await unexpectedOutcomes(matrixChecks(users.filter((u) => u.name === broker || u.name === ingester)));
    } finally {
      await probe!.run({ action: 'acls', admin: adminClient(), add: remove, remove: add });
    }
    expect(wrong).toEqual([
      `${broker} (community broker): Write topic ${alertTopic}: the manual says denied, Kafka said allowed`,
      `${ingester} (alert database ingester): Read group alertdb-ingester: the manual says allowed, Kafka said denied (GroupAuthorizationException)`,
    ]);
  });

  test('refused before any ACL: no credentials, a wrong password, no client certificate, a certificate of another CA', async () => {
    const scram = listener('scram-sha-512', 'PLAIN');
    const external = listener('scram-sha-512', 'EXTERNAL');
    const tls = listener('tls');
    const broker = env.users.communityBrokers[0];
    const certs = path.join(cluster!.dir, 'certs');
    fs.writeFileSync(path.join(certs, 'rogue.ext'), '');
    spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'rogue-ca.key', '-out', 'rogue-ca.crt', '-subj', '/CN=rogue-ca', '-days', '1'], { cwd: certs });
    const rogue = issueCertificate(certs, 'rogue-ca', 'rogue-kafbat', '/CN=kafbat');
    const attempts: Array<[string, Client]> = [
      ['no credentials on the SCRAM listener', { name: 'anonymous', bootstrap: scram.bootstrap, protocol: 'PLAINTEXT', timeoutMs: 3000 }],
      ['no credentials on the external listener', { name: 'anonymous-external', bootstrap: external.bootstrap, protocol: 'PLAINTEXT', timeoutMs: 3000 }],
      [`${broker} with a wrong password`, { name: `${broker}-wrong`, bootstrap: scram.bootstrap, protocol: scram.protocol, username: broker, password: 'wrong' }],
      [`${broker} with a wrong password, external listener`, { name: `${broker}-wrong-external`, bootstrap: external.bootstrap, protocol: external.protocol, username: broker, password: 'wrong' }],
      ['an unknown user', { name: 'nobody', bootstrap: scram.bootstrap, protocol: scram.protocol, username: 'nobody', password: 'x' }],
      ['no client certificate on the TLS listener', { name: 'no-certificate', bootstrap: tls.bootstrap, protocol: 'SSL', ca: cluster!.clusterCaCert }],
      ['a certificate CN=kafbat of another CA', { name: 'rogue', bootstrap: tls.bootstrap, protocol: 'SSL', ca: cluster!.clusterCaCert, keystore: rogue }],
    ];
    const checks: Check[] = attempts.flatMap(([what, client]) => [
      { id: `${what}: connect`, client, kind: 'connect' as const, operation: 'Describe', resource: 'cluster' },
      { id: `${what}: Read topic ${topics[0].name}`, client, kind: 'topic' as const, operation: 'Read', resource: topics[0].name },
    ]);
    const { results } = await probe!.run<{ results: Record<string, Outcome> }>({ action: 'matrix', checks });
    // A refused client either fails authentication (SASL, TLS) or, with no SASL at all, is never answered: the
    // broker closes the connection and the client gives up when its time runs out.
    const admitted = checks.filter((c) => results[c.id].outcome === 'allowed' || results[c.id].outcome === 'denied')
      .map((c) => `${c.id}: ${results[c.id].outcome}`);
    tally.checks += checks.length;
    tally.unexpected += admitted.length;
    expect(admitted).toEqual([]);
    const authFailures = checks.filter((c) => !c.client.name.startsWith('anonymous')).filter((c) => results[c.id].outcome !== 'refused')
      .map((c) => `${c.id}: ${results[c.id].outcome} ${results[c.id].detail ?? ''}`);
    expect(authFailures).toEqual([]);
  });

  test('one real alert: produced by the prompt-processing account, consumed by a community broker, decoded field for field', async () => {
    const python = fetched('python');
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-alert-'));
    try {
      const script = path.join(__dirname, 'alert.py');
      const py = (...args: string[]) => {
        const run = spawnSync(path.join(python, 'venv', 'bin', 'python'), [script, ...args], { encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`alert.py ${args[0]}: ${run.stderr}`);
        return JSON.parse(run.stdout);
      };
      const sent = py('encode', path.join(work, 'sent.bin'));
      // The alert topic of the schema's major version (lsst.v11_1.alert -> lsst-alerts-v11).
      const topic = `lsst-alerts-v${Math.floor(sent.schemaId / 100)}`;
      expect(env.users.communityReadonlyTopics).toContain(topic);
      const producer = users.find((u) => u.name === env.users.writeOnly[0].username)!;
      const consumer = users.find((u) => u.name === env.users.communityBrokers[0])!;
      const key = `alert-${sent.alertId}`;
      const produced = await probe!.run<{ partition: number; offset: number }>({
        action: 'produce', client: { ...clientOf(producer), acks: 'all' }, topic, key, file: path.join(work, 'sent.bin'),
      });
      expect(produced.offset).toBeGreaterThanOrEqual(0);
      const consumed = await probe!.run<{ partition: number; offset: number; bytes: number }>({
        action: 'consume', client: clientOf(consumer), topic, group: `${consumer.name}-dataplane-alert`, key, file: path.join(work, 'received.bin'),
      });
      expect(consumed).toEqual({ partition: produced.partition, offset: produced.offset, bytes: sent.bytes });
      const decoded = py('decode', path.join(work, 'received.bin'), path.join(work, 'sent.bin'));
      expect(decoded).toMatchObject({ magic: 0, schemaId: sent.schemaId, alertId: sent.alertId, differences: [] });
      expect(decoded.fields).toBeGreaterThan(100);
      tally.alert = `alert ${sent.alertId} produced by ${producer.name}, consumed by ${consumer.name}`;
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  test("the schema-sync Job's containers, run for real with lsst-alert-packet's own entry point, fill and check the registry", async () => {
    const job = objects.find((o) => o.kind === 'Job')!;
    const pod = (job.spec as any).template.spec;
    const containers: any[] = [...pod.initContainers, ...pod.containers];
    const venv = path.join(fetched('python'), 'venv', 'bin');
    const registry = await startRegistryStandIn();
    try {
      const urlInJob = /http:\/\/[a-z0-9-]+:8081/;
      const ran: string[] = [];
      for (const container of containers) {
        // The Job's command and arguments as written, the registry's in-cluster address pointed at the stand-in.
        const argv = [...container.command, ...(container.args ?? [])].map((a: string) => a.replace(urlInJob, registry.url));
        expect(argv.join(' ')).not.toMatch(urlInJob);
        // Asynchronously: the stand-in answers from this process.
        const run = await runProcess(argv, { ...process.env, PATH: `${venv}${path.delimiter}${process.env.PATH}`, PYTHONDONTWRITEBYTECODE: '1' }, 120_000);
        if (run.status !== 0) throw new Error(`container ${container.name} (${argv[0]}) exited ${run.status}:\n${run.output}`);
        ran.push(container.name);
      }
      expect(ran).toContain('sync-schema-job');
      // The entry point is lsst-alert-packet's, from the pinned package, not a copy.
      const sync = containers.find((c) => c.name === 'sync-schema-job');
      expect(fs.readFileSync(path.join(venv, sync.command[0]), 'utf8')).toContain('from lsst.alert.packet.bin.syncAllSchemasToRegistry import main');
      // What it stored: the subject of the Job's --subject holds every schema of the package, under their own ids.
      const subject = /--subject=(.+)/.exec(sync.args.join(' '))![1];
      const stored = registry.subjects.get(subject) ?? [];
      expect(stored.length).toBeGreaterThan(5);
      expect(stored.map((s) => s.id)).toContain(1101);
      expect(registry.modes.get(subject)).toBe('READWRITE');
      expect(registry.calls).toContain(`PUT /mode/${subject}`);
    } finally {
      await registry.stop();
    }
  });
});

/** Runs a command to its end (killed after timeoutMs): its exit status and its output. */
function runProcess(argv: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}
