import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { allowSnippets, stagesNeedingSnippets } from './ingress-nginx';
import { BootstrapStage, DEFAULT_TIMEOUTS, folderStages, isDataBearing, parseStopAfter, parseTimeout, synthesizedStages } from './stages';

/** What `pulumi config` says. */
export interface BootstrapConfig {
  readonly env: string;
  readonly kubeconfig: string;
  readonly context: string;
  readonly stopAfter: string;
  readonly dir: string;
  /** `<namespace>/<name>` of ingress-nginx's ConfigMap. @default 'ingress-nginx/ingress-nginx-controller' */
  readonly ingressNginxConfigMap: string;
  /** Seconds to wait for Kafka Ready; empty: 3600. */
  readonly kafkaTimeout: string;
  /** Seconds to wait for each topic, user and ScaledObject; empty: 900. */
  readonly operatorTimeout: string;
}

/** Reads the stack configuration (project `alert-stream-bootstrap`). */
export function readConfig(): BootstrapConfig {
  const config = new pulumi.Config();
  return {
    env: config.get('env') ?? '',
    kubeconfig: config.get('kubeconfig') ?? '',
    context: config.get('context') ?? '',
    stopAfter: config.get('stopAfter') ?? '',
    dir: config.get('dir') ?? '',
    ingressNginxConfigMap: config.get('ingressNginxConfigMap') ?? '',
    kafkaTimeout: config.get('kafkaTimeout') ?? '',
    operatorTimeout: config.get('operatorTimeout') ?? '',
  };
}

/**
 * Applies the environment stage by stage: the namespace, then one ConfigGroup
 * per stage, each depending on the one before, so a stage starts only once the
 * previous one is applied and its awaited objects are ready. Objects that
 * already exist are adopted (updated by server-side apply), not refused.
 * Stages holding data (node pools, Kafka, topics, users) are protected: Pulumi
 * refuses to delete them, by `pulumi destroy` or otherwise, until they are
 * unprotected (README.md, "Removing a deployment").
 */
export function deployStages(config: BootstrapConfig) {
  const timeouts = {
    kafka: parseTimeout('kafkaTimeout', config.kafkaTimeout, DEFAULT_TIMEOUTS.kafka),
    operator: parseTimeout('operatorTimeout', config.operatorTimeout, DEFAULT_TIMEOUTS.operator),
  };
  const { namespace, stages } = config.dir ? folderStages(config.dir, config.env, timeouts) : synthesizedStages(config.env, timeouts);
  const last = parseStopAfter(config.stopAfter);
  const provider = new k8s.Provider('cluster', {
    kubeconfig: config.kubeconfig || undefined,
    context: config.context || undefined,
    // Under server-side apply, provider 4.25 (the version the Go module proxy serves, pinned in
    // package.json) applies over an object that already exists; from 4.29 that needs
    // `upsertExistingObjects: true` here.
    enableServerSideApply: true,
  });
  const ns = new k8s.core.v1.Namespace('namespace', { metadata: { name: namespace } }, { provider, retainOnDelete: true });

  const selected = stages.filter((s) => s.stage <= last);
  // A plain nginx Ingress with a snippet (the registry's GET-only rule) needs the controller to allow it.
  const needSnippets = new Set(stagesNeedingSnippets(selected));
  const snippets = needSnippets.size > 0 ? allowSnippets(config.ingressNginxConfigMap, provider, ns) : undefined;
  let previous: pulumi.Resource = ns;
  const deployed: BootstrapStage[] = [];
  for (const stage of selected) {
    const dependsOn = needSnippets.has(stage) && snippets ? [previous, snippets] : [previous];
    previous = new k8s.yaml.v2.ConfigGroup(stage.name, { objs: stage.objects as any[] }, { provider, dependsOn, protect: isDataBearing(stage) });
    deployed.push(stage);
  }
  return { namespace, stages: deployed.map((s) => s.name) };
}
