/**
 * Real Apache Kafka for the data-plane tier: `nodes` KRaft nodes (each broker and controller) on 127.0.0.1,
 * run from the jars tools/dataplane.sh fetched from Maven Central at the environment's Kafka version, with Java.
 * Each node gets the broker configuration the test hands it (test/dataplane/strimzi.ts makes it from the Kafka
 * resource) plus its own addresses and folders; certificates are made here with openssl, as Strimzi's cluster and
 * clients CAs would issue them. Readiness is each node's own "Kafka Server started" line; every process started
 * here is stopped by stop(), and killed if the test process exits first.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const DATAPLANE_ROOT = path.resolve(__dirname, '..', '..');

/** The folder tools/dataplane.sh fetched (it is found here, never fetched: the tier's globalSetup fetches it). */
export function fetched(what: 'kafka' | 'python', version?: string): string {
  const run = spawnSync('bash', [path.join(DATAPLANE_ROOT, 'tools', 'dataplane.sh'), '--cached', what, ...(version ? [version] : [])], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr.trim() || `tools/dataplane.sh --cached ${what} failed`);
  return run.stdout.trim();
}

/** `java -cp <libs>/*` with the given main class and arguments, run to its end. */
export function javaClasspath(kafkaHome: string, ...more: string[]): string {
  return [...more, path.join(kafkaHome, 'libs', '*')].join(path.delimiter);
}

function openssl(cwd: string, ...args: string[]): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${run.stderr}`);
}

/** A CA: `<name>.crt`, `<name>.key`. */
function makeCa(dir: string, name: string, subject: string): void {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-subj', subject, '-days', '2');
}

/**
 * A certificate signed by a CA, and `<name>.pem`: its PKCS#8 key and the certificate, the PEM keystore
 * Kafka's clients and brokers read (ssl.keystore.type=PEM).
 */
export function issueCertificate(dir: string, ca: string, name: string, subject: string, san?: string): string {
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
  const ext = path.join(dir, `${name}.ext`);
  fs.writeFileSync(ext, san ? `subjectAltName=${san}\n` : 'basicConstraints=CA:FALSE\n');
  openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', '-extfile', ext);
  const pem = path.join(dir, `${name}.pem`);
  fs.writeFileSync(pem, fs.readFileSync(path.join(dir, `${name}.key`), 'utf8') + fs.readFileSync(path.join(dir, `${name}.crt`), 'utf8'));
  return pem;
}

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<net.Server>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  })));
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** A listener of the Kafka resource, as the test cluster serves it. */
export interface ServedListener {
  /** Strimzi's name for it: `<NAME>-<port>` (PLAIN-9092). */
  readonly name: string;
  readonly protocol: 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
  readonly authentication: 'scram-sha-512' | 'tls' | 'none';
  /** `127.0.0.1:<port>,...` of every node. */
  readonly bootstrap: string;
}

export interface KafkaClusterOptions {
  /** Folder with libs/ (tools/dataplane.sh kafka <version>). */
  readonly kafkaHome: string;
  readonly nodes: number;
  /** Strimzi's name of the cluster: the brokers' certificate is `CN=<name>-kafka,O=io.strimzi`, as Strimzi issues it. */
  readonly clusterName: string;
  /**
   * The client listeners: [Strimzi listener name, protocol, authentication]. The test makes them from the Kafka
   * resource's spec.kafka.listeners.
   */
  readonly listeners: ReadonlyArray<Omit<ServedListener, 'bootstrap'>>;
  /** Every other broker setting (spec.kafka.config and what the resource's authorization implies), Kafka's names. */
  readonly config: Readonly<Record<string, string>>;
  /** SCRAM-SHA-512 credentials written when the storage is formatted (the super user the others are made with). */
  readonly bootstrapScram: { readonly username: string; readonly password: string };
}

export interface KafkaCluster {
  readonly dir: string;
  readonly listeners: readonly ServedListener[];
  /** The clients CA (signs TLS users' certificates) and the cluster CA (signs the brokers'; clients trust it). */
  readonly clientsCa: string;
  readonly clusterCaCert: string;
  /** Every node's full configuration, as it was started (node 0's is validated by the test). */
  readonly nodeConfigFiles: readonly string[];
  /** The last lines of every node's log, for a failure message. */
  logTail(): string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;

/**
 * A cluster id as Kafka's own `Uuid.randomUuid()` makes one: 16 random bytes in URL-safe base64, never starting
 * with '-' (one in 64 would, and `kafka-storage format -t <id>` would read it as an option).
 */
export function newClusterId(random: () => Buffer = () => randomBytes(16)): string {
  for (;;) {
    const id = random().toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/** Starts the cluster; on any failure every node started so far is stopped before the error is thrown. */
export async function startKafkaCluster(options: KafkaClusterOptions): Promise<KafkaCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'alert-stream-kafka-'));
  const certs = path.join(dir, 'certs');
  fs.mkdirSync(certs);
  makeCa(certs, 'cluster-ca', `/O=io.strimzi/CN=cluster-ca v0`);
  makeCa(certs, 'clients-ca', `/O=io.strimzi/CN=clients-ca v0`);
  const brokerPem = issueCertificate(certs, 'cluster-ca', 'broker', `/O=io.strimzi/CN=${options.clusterName}-kafka`, 'IP:127.0.0.1,DNS:localhost');
  const clusterCaCert = path.join(certs, 'cluster-ca.crt');
  const clientsCaCert = path.join(certs, 'clients-ca.crt');

  // Per node: the controller listener, the replication listener, then one port per client listener.
  const perNode = 2 + options.listeners.length;
  const ports = await freePorts(perNode * options.nodes);
  const portOf = (node: number, i: number) => ports[node * perNode + i];
  const voters = Array.from({ length: options.nodes }, (_, n) => `${n}@127.0.0.1:${portOf(n, 0)}`).join(',');
  const clusterId = newClusterId();

  const listeners: ServedListener[] = options.listeners.map((l, i) => ({
    ...l,
    bootstrap: Array.from({ length: options.nodes }, (_, n) => `127.0.0.1:${portOf(n, 2 + i)}`).join(','),
  }));

  const nodeConfigFiles: string[] = [];
  for (let n = 0; n < options.nodes; n++) {
    const nodeDir = path.join(dir, `node-${n}`);
    fs.mkdirSync(nodeDir);
    // As Strimzi's KafkaBrokerConfigurationBuilder writes a KRaft node (CONTROLPLANE-9090 and REPLICATION-9091 with
    // mutual TLS under the cluster CA), on loopback ports instead of the pod's.
    const own: Record<string, string> = {
      'process.roles': 'broker,controller',
      'node.id': String(n),
      'controller.quorum.voters': voters,
      'controller.listener.names': 'CONTROLPLANE-9090',
      'inter.broker.listener.name': 'REPLICATION-9091',
      'log.dirs': path.join(nodeDir, 'data'),
      listeners: [`CONTROLPLANE-9090://127.0.0.1:${portOf(n, 0)}`, `REPLICATION-9091://127.0.0.1:${portOf(n, 1)}`,
        ...options.listeners.map((l, i) => `${l.name}://127.0.0.1:${portOf(n, 2 + i)}`)].join(','),
      'advertised.listeners': [`REPLICATION-9091://127.0.0.1:${portOf(n, 1)}`,
        ...options.listeners.map((l, i) => `${l.name}://127.0.0.1:${portOf(n, 2 + i)}`)].join(','),
      'listener.security.protocol.map': ['CONTROLPLANE-9090:SSL', 'REPLICATION-9091:SSL', ...options.listeners.map((l) => `${l.name}:${l.protocol}`)].join(','),
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': brokerPem,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': clusterCaCert,
      'listener.name.controlplane-9090.ssl.client.auth': 'required',
      'listener.name.replication-9091.ssl.client.auth': 'required',
      'sasl.enabled.mechanisms': '',
    };
    for (const l of options.listeners) {
      const prefix = `listener.name.${l.name.toLowerCase()}`;
      if (l.authentication === 'scram-sha-512') {
        own[`${prefix}.sasl.enabled.mechanisms`] = 'SCRAM-SHA-512';
        own[`${prefix}.scram-sha-512.sasl.jaas.config`] = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
      }
      if (l.authentication === 'tls') {
        own[`${prefix}.ssl.client.auth`] = 'required';
        own[`${prefix}.ssl.truststore.type`] = 'PEM';
        own[`${prefix}.ssl.truststore.location`] = clientsCaCert;
      }
    }
    const clash = Object.keys(own).filter((k) => k in options.config && k !== 'sasl.enabled.mechanisms');
    if (clash.length > 0) throw new Error(`the broker config sets what the test cluster sets itself: ${clash.join(', ')}`);
    const file = path.join(nodeDir, 'server.properties');
    fs.writeFileSync(file, Object.entries({ ...options.config, ...own }).map(([k, v]) => `${k}=${escapeProperty(v)}`).join('\n') + '\n');
    nodeConfigFiles.push(file);
  }

  const java = (args: string[], log: string): ChildProcess => {
    const out = fs.openSync(log, 'a');
    // The JVM replaces the shell (exec: the child's pid is the JVM's), and a watcher holding the other end of its
    // stdin kills it when that pipe closes: when this process ends, even killed without running any teardown.
    // C1 only and the serial collector: a quicker start, and fewer threads on two cores, for a test's light load.
    return spawn('bash', ['-c', 'exec 3<&0; (cat <&3 >/dev/null; kill -9 $$ 2>/dev/null) & exec java "$@" </dev/null 3<&-', 'java',
      '-Xms128m', '-Xmx512m', '-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true',
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=info', '-cp', javaClasspath(options.kafkaHome), ...args], { stdio: ['pipe', out, out] });
  };

  // Format every node's storage with the same cluster id and the bootstrap super user's SCRAM credentials.
  await Promise.all(nodeConfigFiles.map((file, n) => new Promise<void>((resolve, reject) => {
    const log = path.join(dir, `node-${n}`, 'format.log');
    const format = java(['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', file, '--add-scram',
      `SCRAM-SHA-512=[name=${options.bootstrapScram.username},password=${options.bootstrapScram.password}]`], log);
    format.on('error', reject);
    format.on('exit', (code) => (format.stdin?.destroy(), code === 0 ? resolve() : reject(new Error(`formatting node ${n}'s storage failed (${code}):\n${fs.readFileSync(log, 'utf8')}`))));
  })));

  const children: ChildProcess[] = [];
  const logs = Array.from({ length: options.nodes }, (_, n) => path.join(dir, `node-${n}`, 'server.log'));
  const killAll = () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL'));
  process.on('exit', killAll);
  const logTail = () => logs.map((log, n) => {
    const text = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    return `--- node ${n} (${log})\n${text.split('\n').filter((l) => /ERROR|WARN|Exception|started/.test(l)).slice(-15).join('\n')}`;
  }).join('\n');

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await Promise.all(children.map((child) => new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      // Nodes stopping together lose their quorum, and a broker's controlled shutdown then waits for a controller
      // that is gone: after a short grace the rest is killed (the cluster's data is thrown away anyway).
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        child.stdin?.destroy();
        resolve();
      });
      child.kill('SIGTERM');
    })));
    process.off('exit', killAll);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    for (let n = 0; n < options.nodes; n++) children.push(java(['kafka.Kafka', nodeConfigFiles[n]], logs[n]));
    await Promise.all(children.map((child, n) => waitForLine(child, logs[n], /Kafka Server started/, READY_TIMEOUT_MS, `node ${n}`)));
  } catch (error) {
    const tail = logTail();
    await stop();
    throw new Error(`${(error as Error).message}\n${tail}`, { cause: error });
  }
  return { dir, listeners, clientsCa: path.join(certs, 'clients-ca'), clusterCaCert, nodeConfigFiles, logTail, stop };
}

/** A value in a .properties file: backslashes and leading spaces kept as written. */
function escapeProperty(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/^ /, '\\ ').replace(/\n/g, '\\n');
}

/** Resolves when the log has the line; rejects when the process exits first or the time runs out. */
function waitForLine(child: ChildProcess, log: string, line: RegExp, timeoutMs: number, who: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      fs.unwatchFile(log, check);
      if (error) reject(error);
      else resolve();
    };
    const onExit = (code: number | null, signal: string | null) => done(new Error(`${who} exited (${code ?? signal}) before it was ready`));
    const check = () => {
      if (fs.existsSync(log) && line.test(fs.readFileSync(log, 'utf8'))) done();
    };
    const timer = setTimeout(() => done(new Error(`${who} not ready after ${timeoutMs / 1000} s`)), timeoutMs);
    child.once('exit', onExit);
    // Node's file watcher polls the log's size; the line is looked for whenever it grows.
    fs.watchFile(log, { interval: 100 }, check);
    check();
  });
}
