/**
 * The sync waves under Argo CD's real sync engine: gitops-engine v0.7.3 (the engine of Argo CD's
 * application controller), built from Go modules with gopher-lua (Argo CD's Lua VM) into
 * tools/sync-engine, syncs local-bootstrap's output against the test API server, with the Lua health
 * checks of docs/argocd-health.yaml. The stand-in operators (test code: no Strimzi, controller manager
 * or kubelet runs here) write the status the real ones would. Asserted: the order objects are applied
 * in, that each wave waits for the health it needs, and that each failure holds back only what it should.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { ClusterClient } from '../../lib/cluster-client';
import { toolFolder } from '../../lib/helm-binary';
import { runSynth } from '../../cli/synth';
import { ApiServer, startApiServer } from './api-server';
import { installCrds } from './crds';
import { StandInOperators } from './stand-in-operators';

const ROOT = path.resolve(__dirname, '..', '..');
const ENV = 'local-bootstrap';
const NAMESPACE = 'sasquatch';
const CRD_FILES = ['040-Crd-kafka.yaml', '043-Crd-kafkatopic.yaml', '044-Crd-kafkauser.yaml', '045-Crd-kafkanodepool.yaml', 'registry-crd.yaml'];
/** gitops-engine's version, as tools/sync-engine/go.mod pins it. */
const ENGINE = /github\.com\/argoproj\/gitops-engine (v[\d.]+)/.exec(fs.readFileSync(path.join(ROOT, 'tools', 'sync-engine', 'go.mod'), 'utf8'))![1];

/**
 * Stand-ins (test code) for the health checks Argo CD ships for Strimzi's Kafka, KafkaTopic and KafkaUser
 * (resource_customizations in the Argo CD repository; gitops-engine has none): Healthy once the operator
 * reports Ready, Degraded when it reports NotReady, else Progressing.
 */
const ARGOCD_SHIPPED_STAND_INS = Object.fromEntries(['Kafka', 'KafkaTopic', 'KafkaUser'].map((kind) => [`resource.customizations.health.kafka.strimzi.io_${kind}`, [
  'local hs = { status = "Progressing", message = "Waiting for Strimzi" }',
  'if obj.status ~= nil and obj.status.conditions ~= nil then',
  '  for _, c in ipairs(obj.status.conditions) do',
  '    if c.type == "Ready" and c.status == "True" then hs.status = "Healthy"; hs.message = "Ready" end',
  '    if c.type == "NotReady" and c.status == "True" then hs.status = "Degraded"; hs.message = c.message or "NotReady" end',
  '  end',
  'end',
  'return hs',
].join('\n')]));

interface Event { event: string; wave?: number; kind?: string; name?: string; phase?: string; hook?: boolean; status?: string; message?: string }

let work: string;
let dist: string;
let healthFile: string;
let engine: string;
beforeAll(() => {
  // Built before the tests (.ci/run's step, npm run build:tools); found, never built, here.
  engine = path.join(toolFolder('sync-engine'), 'sync-engine');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-waves-'));
  dist = path.join(work, 'dist');
  expect(runSynth(['--env', ENV, '--out', dist], { stdout: () => undefined, stderr: () => undefined })).toBe(0);
  const ours = (parse(fs.readFileSync(path.join(ROOT, 'docs', 'argocd-health.yaml'), 'utf8')) as any)['argo-cd'].configs.cm;
  healthFile = path.join(work, 'health.yaml');
  fs.writeFileSync(healthFile, stringify({ ...ours, ...ARGOCD_SHIPPED_STAND_INS }));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A fresh API server with the CRDs, the namespace and the stand-in operators; stopped by the caller. */
async function world(neverReady: readonly string[] = [], neverReadyObjects: readonly string[] = [], staleNodePools = false): Promise<{ server: ApiServer; stop: () => Promise<void> }> {
  const server = await startApiServer();
  try {
    await installCrds(server.kubeconfigPath, CRD_FILES);
    const client = await ClusterClient.connect({ kubeconfig: server.kubeconfigPath });
    await client.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }, { dryRun: false });
    const operators = await StandInOperators.start({ kubeconfigPath: server.kubeconfigPath, namespace: NAMESPACE, delayMs: 200, neverReady, neverReadyObjects, registryOperator: true, ingressController: true, staleNodePools });
    return { server, stop: async () => { await operators.stop(); await server.stop(); } };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** Runs `body` in a fresh world (see `world`), stopped afterwards, also when the body fails. */
async function inWorld(options: { neverReady?: string[]; neverReadyObjects?: string[]; staleNodePools?: boolean }, body: (server: ApiServer) => Promise<void>): Promise<void> {
  const { server, stop } = await world(options.neverReady, options.neverReadyObjects, options.staleNodePools);
  try {
    await body(server);
  } finally {
    await stop();
  }
}

/** Runs the engine once over the output; resolves with its events and exit code. */
function sync(server: ApiServer, timeoutSeconds: number): Promise<{ code: number; events: Event[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(engine, ['--kubeconfig', server.kubeconfigPath, '--namespace', NAMESPACE, '--dir', path.join(dist, ENV), '--health', healthFile, '--timeout', String(timeoutSeconds)], {
      // No pause between waves (Argo CD waits 2 s): the order is the same, the test faster.
      env: { ...process.env, ARGOCD_SYNC_WAVE_DELAY: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stderr, events: stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l)) }));
  });
}

const applied = (events: Event[]) => events.filter((e) => e.event === 'apply');
const label = (e: Event) => `${e.kind}/${e.name}`;
const result = (events: Event[]) => events.find((e) => e.event === 'result')!;
/** The objects of the output's stage files, by wave. */
const objectsOfWave = (wave: number) => fs.readFileSync(path.join(dist, ENV, fs.readdirSync(path.join(dist, ENV)).find((f) => f.startsWith(`000${wave}-`))!), 'utf8')
  .split('\n---\n').map((doc) => parse(doc)).filter(Boolean).map((o: any) => `${o.kind}/${o.metadata.name}`);

// The three failure cases wait out the engine's timeout, each in a world of its own: they run at the same time
// (test.concurrent), so the tier waits once, not three times.
describe(`the sync waves under Argo CD's sync engine (gitops-engine ${ENGINE})`, () => {
  test('everything healthy: applied wave by wave, the schema sync last as a PostSync hook, the sync Succeeded', async () => {
    await inWorld({}, async (server) => {
      const { code, events } = await sync(server, 240);
      expect(result(events)).toMatchObject({ phase: 'Succeeded' });
      expect(code).toBe(0);
      const order = applied(events);
      const waves = order.filter((e) => !e.hook).map((e) => e.wave!);
      expect(waves).toEqual([...waves].sort((a, b) => a - b));
      expect(order.at(-1)).toMatchObject({ kind: 'Job', name: 'sasquatch-sync-schema', phase: 'PostSync', hook: true });
      // Every object of the output was applied, in the wave of its file.
      for (const wave of [1, 2, 3, 4, 5, 7]) {
        for (const object of objectsOfWave(wave)) expect([object, order.find((e) => label(e) === object)?.wave]).toEqual([object, wave]);
      }
      // The super user is a user of the last wave, not of the cluster's.
      expect(order.find((e) => label(e) === 'KafkaUser/kafka-admin')).toMatchObject({ wave: 7 });
    });
  });

  test.concurrent('a schema sync that never finishes (a bad image tag) holds nothing back: every object is applied', async () => {
    await inWorld({ neverReady: ['Job'] }, async (server) => {
      const { code, events } = await sync(server, 30);
      expect(code).toBe(1);
      expect(result(events).message).toMatch(/sasquatch-sync-schema/);
      const names = applied(events).filter((e) => !e.hook).map(label);
      for (const wave of [1, 2, 3, 4, 5, 7]) for (const object of objectsOfWave(wave)) expect(names).toContain(object);
    });
  });

  test.concurrent('a user whose password is missing (NotReady) holds back only the hook after the last wave: the cluster and the registry are there', async () => {
    await inWorld({ neverReadyObjects: ['KafkaUser/kafka-admin'] }, async (server) => {
      const { code, events } = await sync(server, 30);
      expect(code).toBe(1);
      const names = applied(events).map(label);
      expect(names).toEqual(expect.arrayContaining(['Kafka/sasquatch', 'StrimziSchemaRegistry/sasquatch-schema-registry', 'KafkaUser/kafka-admin']));
      expect(names).not.toContain('Job/sasquatch-sync-schema');
    });
  });

  test('node pools whose generation Strimzi never reconciles (a refused, reverted change) do not hold the Kafka wave', async () => {
    await inWorld({ staleNodePools: true }, async (server) => {
      const { code, events } = await sync(server, 60);
      const pools = events.filter((e) => e.event === 'health' && e.kind === 'KafkaNodePool');
      expect(pools.length).toBeGreaterThan(0);
      for (const e of pools) expect(e.status).toBe('Healthy');
      // The stale status was seen (and reported, not waited on) before the sync ended.
      for (const name of ['controller', 'kafka']) {
        expect(pools.filter((e) => e.name === name).at(-1)).toMatchObject({ message: expect.stringMatching(/Strimzi reconciles/) });
      }
      expect(applied(events).map(label)).toContain('Kafka/sasquatch');
      expect(result(events)).toMatchObject({ phase: 'Succeeded' });
      expect(code).toBe(0);
    });
  });

  test.concurrent('a Kafka that never becomes Ready holds every later wave: nothing of the registry or the services is applied', async () => {
    await inWorld({ neverReady: ['Kafka'] }, async (server) => {
      const { code, events } = await sync(server, 20);
      expect(code).toBe(1);
      expect(result(events).message).toMatch(/Kafka\/sasquatch/);
      const waves = applied(events).map((e) => e.wave!);
      expect(Math.max(...waves)).toBe(3);
    });
  });
});
