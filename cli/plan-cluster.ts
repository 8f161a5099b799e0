import * as fs from 'node:fs';
import * as path from 'node:path';
import { EnvironmentError } from '../constructs/rules';
import type { Environment } from '../constructs/alert-stream-props';
import { ClusterClient, ClusterError } from '../lib/cluster-client';
import { ARGOCD_FIELD_MANAGER, formatDrift, formatRefused, planAgainstCluster } from '../lib/cluster-plan';
import type { LocatedObject } from '../lib/manifests';
import { formatPlan, PlanRule, synthesizedObjects } from '../lib/plan';
import type { Io } from './command';
import { InputError } from './crds';

/** Reads one side of a plan (a folder or a git ref); undefined when `mayBeAbsent` and the environment was not there. */
export type SideLoader = (source: string, cleanups: Array<() => void>, mayBeAbsent: boolean) => LocatedObject[] | undefined;

export interface ClusterPlanOptions {
  readonly env: Environment;
  readonly allow: readonly PlanRule[];
  readonly json: boolean;
  /** The output Argo CD last synced: a folder or a git ref. @default `dist` of the project */
  readonly synced?: string;
  /** The new output folder. @default - the working tree synthesized */
  readonly to?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly timeoutMs: number;
  readonly fieldManager?: string;
  readonly failOnDrift: boolean;
  /** The project folder. */
  readonly repo: string;
}

/**
 * `plan --from cluster`: drift between the cluster and the synced output, and what a sync of the new output
 * would change there, with the rules of plan. Exit code 0 safe (drift is reported; 1 with --fail-on-drift),
 * 1 unsafe changes not allowed or objects the server refuses, 2 input or cluster unusable (one line).
 */
export async function runClusterPlan(options: ClusterPlanOptions, load: SideLoader, io: Io): Promise<number> {
  const { env } = options;
  const cleanups: Array<() => void> = [];
  try {
    const defaultSynced = path.join(options.repo, 'dist');
    if (options.synced === undefined && !fs.existsSync(path.join(defaultSynced, env.name))) {
      io.stderr(`plan: no ${path.join('dist', env.name)} to measure drift against: run npm run synth at the commit Argo CD synced, or pass --synced <folder or git ref>\n`);
      return 2;
    }
    const syncedSource = options.synced ?? defaultSynced;
    const synced = load(syncedSource, cleanups, true);
    const next = options.to ? load(options.to, cleanups, false) ?? [] : synthesizedObjects(env);

    const client = await ClusterClient.connect({ kubeconfig: options.kubeconfig, context: options.context, timeoutMs: options.timeoutMs });
    const version = await client.version();
    const plan = await planAgainstCluster(client, {
      synced: synced ?? [], next, namespace: env.namespace, allow: options.allow, fieldManager: options.fieldManager ?? ARGOCD_FIELD_MANAGER,
    });
    const syncedName = options.synced ?? 'dist';
    const blocked = plan.unsafe.some((u) => !u.allowed) || plan.refused.length > 0;
    const drifted = options.failOnDrift && plan.drift.length > 0;
    if (options.json) {
      io.stdout(`${JSON.stringify({
        env: env.name, from: 'cluster', server: client.serverUrl, context: client.context, kubernetes: version,
        synced: syncedName, to: options.to ?? '(working tree)', ...plan,
      }, null, 2)}\n`);
    } else {
      const note = synced === undefined ? `${env.name} has no output in ${syncedName}: no drift is measured\n` : '';
      io.stdout(`cluster: ${client.serverUrl} (context ${client.context}, Kubernetes ${version}): server-side dry run, nothing is changed\n` +
        `${note}${formatDrift(env.name, syncedName, plan.drift)}\nsync of ${options.to ?? 'the working tree'}:\n${formatPlan(env.name, plan)}${formatRefused(plan.refused)}` +
        `${env.name}: ${plan.drift.length} drifted${options.failOnDrift && plan.drift.length > 0 ? ' (refused: --fail-on-drift)' : ''}, ${plan.refused.length} refused by the API server\n`);
    }
    return blocked || drifted ? 1 : 0;
  } catch (error) {
    if (error instanceof EnvironmentError) {
      io.stderr(`plan: the environment does not synthesize:\n${error.message}\n`);
      return 1;
    }
    if (error instanceof InputError || error instanceof ClusterError) {
      io.stderr(`plan: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    cleanups.forEach((c) => c());
  }
}
