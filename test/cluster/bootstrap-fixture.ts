/**
 * One bootstrap run's world: a test API server with the CRDs local-bootstrap needs, the stand-in
 * operators (test code, see stand-in-operators.ts), and the real Pulumi engine with the
 * `local-bootstrap` stack of bootstrap/ pointed at the server.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Stack } from '@pulumi/pulumi/automation';
import { buildSync } from 'esbuild';
import { BootstrapStage, synthesizedStages } from '../../bootstrap/stages';
import { ClusterClient } from '../../lib/cluster-client';
import { DEFAULT_CONTROLLER_CONFIGMAP } from '../../bootstrap/ingress-nginx';
import { ApiServer, startApiServer } from './api-server';
import { createNamespace } from './cluster-helpers';
import { bootstrapProgram } from './bootstrap-program';
import { installCrds } from './crds';
import { PulumiEngine, startPulumiEngine } from './pulumi-engine';
import { StandInOperators, StandInOptions, WatchRecord } from './stand-in-operators';

export const STACK = 'local-bootstrap';
/** What local-bootstrap deploys: Strimzi's resources and the registry operator's. */
const CRD_FILES = ['040-Crd-kafka.yaml', '043-Crd-kafkatopic.yaml', '044-Crd-kafkauser.yaml', '045-Crd-kafkanodepool.yaml', 'registry-crd.yaml'];

export interface BootstrapWorld {
  readonly server: ApiServer;
  readonly standIn: StandInOperators;
  readonly engine: PulumiEngine;
  readonly stack: Stack;
  readonly namespace: string;
  readonly stages: BootstrapStage[];
  stop(): Promise<void>;
}

export async function startBootstrapWorld(
  standIn: Omit<StandInOptions, 'kubeconfigPath' | 'namespace'>, config: Record<string, string> = {},
): Promise<BootstrapWorld> {
  const { namespace, stages } = synthesizedStages(STACK);
  const stoppers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stoppers.reverse()) await s().catch(() => undefined);
  };
  try {
    const server = await startApiServer();
    stoppers.push(() => server.stop());
    await installCrds(server.kubeconfigPath, CRD_FILES);
    await installIngressNginxConfig(server.kubeconfigPath);
    const operators = await StandInOperators.start({ ...standIn, kubeconfigPath: server.kubeconfigPath, namespace });
    stoppers.push(() => operators.stop());
    const engine = await startPulumiEngine(server.kubeconfigPath);
    stoppers.push(() => engine.stop());
    const stack = await engine.stack(STACK, bootstrapProgram);
    await stack.setAllConfig({ kubeconfig: { value: server.kubeconfigPath }, ...Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }])) });
    return { server, standIn: operators, engine, stack, namespace, stages, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}


/** The resourceVersion at which the object was created, or undefined if the API server never saw it. */
export function createdAt(log: readonly WatchRecord[], kind: string, name: string): number | undefined {
  return log.find((r) => r.kind === kind && r.name === name && r.type === 'ADDED')?.resourceVersion;
}

/** The resourceVersion at which the object first reported ready. */
export function readyAt(log: readonly WatchRecord[], kind: string, name: string): number | undefined {
  return log.find((r) => r.kind === kind && r.name === name && r.ready)?.resourceVersion;
}

/** Objects Pulumi waits for in a stage: those with a waitFor hint, Deployments and Jobs (the provider's own checks). */
export function awaitedObjects(stage: BootstrapStage): { kind: string; name: string }[] {
  return stage.objects
    .filter((o) => o.metadata?.annotations?.['pulumi.com/waitFor'] || o.kind === 'Deployment' || o.kind === 'Job')
    .map((o) => ({ kind: o.kind, name: o.metadata.name }));
}

/** The stage's objects as `Kind/name`. */
export const objectKeys = (stage: BootstrapStage) => stage.objects.map((o) => `${o.kind}/${o.metadata.name}`);

/**
 * `pulumi up` of the stack in a process of its own (bootstrap-up-process.ts, bundled by esbuild),
 * for runs expected to fail: see that file for why.
 */
export async function upInOwnProcess(world: BootstrapWorld): Promise<{ ok: boolean; message: string; seconds: number }> {
  const root = path.resolve(__dirname, '..', '..');
  const bundle = path.join(world.engine.projectDir, '..', 'up-process.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'bootstrap-up-process.ts')], bundle: true, platform: 'node', format: 'cjs',
    packages: 'external', outfile: bundle, logLevel: 'error',
  });
  // Asynchronous: the stand-in operators in this process go on answering meanwhile.
  const child = spawn(process.execPath, [bundle, world.engine.projectDir, STACK, world.engine.cliRoot], {
    env: { ...process.env, ...world.engine.env, NODE_PATH: path.join(root, 'node_modules') }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    return JSON.parse(stdout.trim().split('\n').pop() ?? '');
  } catch {
    return { ok: false, message: `no result from the up process (exit ${status}): ${stderr.slice(-2000)}`, seconds: 0 };
  }
}

/**
 * What an installed ingress-nginx controller leaves on a cluster for the bootstrap to patch: its
 * namespace and its (empty) ConfigMap. local-bootstrap's registry Ingress needs the snippet options set there.
 */
async function installIngressNginxConfig(kubeconfig: string): Promise<void> {
  const [namespace, name] = DEFAULT_CONTROLLER_CONFIGMAP.split('/');
  const client = await ClusterClient.connect({ kubeconfig });
  await createNamespace(client, namespace);
  const result = await client.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: {} }, { dryRun: false });
  if (result.rejection) throw new Error(`ConfigMap ${DEFAULT_CONTROLLER_CONFIGMAP}: ${result.rejection.message}`);
}
