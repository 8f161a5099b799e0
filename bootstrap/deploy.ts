import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { allowSnippets, stagesNeedingSnippets } from './ingress-nginx';
import { BootstrapStage, folderStages, parseStopAfter, synthesizedStages } from './stages';

/** What `pulumi config` says. */
export interface BootstrapConfig {
  readonly env: string;
  readonly kubeconfig: string;
  readonly context: string;
  readonly stopAfter: string;
  readonly dir: string;
  /** `<namespace>/<name>` of ingress-nginx's ConfigMap. @default 'ingress-nginx/ingress-nginx-controller' */
  readonly ingressNginxConfigMap: string;
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
  };
}

/**
 * Applies the environment stage by stage: the namespace, then one ConfigGroup
 * per stage, each depending on the one before, so a stage starts only once the
 * previous one is applied and its awaited objects are ready. Objects that
 * already exist are adopted (updated by server-side apply), not refused.
 */
export function deployStages(config: BootstrapConfig) {
  const { namespace, stages } = config.dir ? folderStages(config.dir, config.env) : synthesizedStages(config.env);
  const last = parseStopAfter(config.stopAfter);
  const provider = new k8s.Provider('cluster', {
    kubeconfig: config.kubeconfig || undefined,
    context: config.context || undefined,
    enableServerSideApply: true,
    upsertExistingObjects: true,
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
    previous = new k8s.yaml.v2.ConfigGroup(stage.name, { objs: stage.objects as any[] }, { provider, dependsOn });
    deployed.push(stage);
  }
  return { namespace, stages: deployed.map((s) => s.name) };
}
