/**
 * One bootstrap run's world: a test API server with the CRDs local-bootstrap needs, the stand-in
 * operators (test code, see stand-in-operators.ts), and the real Pulumi engine with the
 * `local-bootstrap` stack of bootstrap/ pointed at the server.
 */
import type { Stack } from '@pulumi/pulumi/automation';
import { deployStages, readConfig } from '../../bootstrap/deploy';
import { BootstrapStage, synthesizedStages } from '../../bootstrap/stages';
import { ApiServer, startApiServer } from './api-server';
import { installCrds } from './crds';
import { PulumiEngine, startPulumiEngine } from './pulumi-engine';
import { StandInOperators, StandInOptions, WatchRecord } from './stand-in-operators';

export const STACK = 'local-bootstrap';
/** What local-bootstrap deploys: Strimzi's resources and the registry operator's. */
const CRD_FILES = ['040-Crd-kafka.yaml', '043-Crd-kafkatopic.yaml', '044-Crd-kafkauser.yaml', '045-Crd-kafkanodepool.yaml', 'registry-crd.yaml'];

/** bootstrap/index.ts as an inline program: the same function on the same stack configuration. */
export const bootstrapProgram = async () => {
  const deployed = deployStages(readConfig());
  return { namespace: deployed.namespace, stages: deployed.stages };
};

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
