import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { READ_ONLY_SNIPPET } from '../constructs/web-ingress';
import { BootstrapConfigError, BootstrapStage } from './stages';

/** Where ingress-nginx keeps its configuration: the ConfigMap of its Helm chart and of kind's manifest. */
export const DEFAULT_CONTROLLER_CONFIGMAP = 'ingress-nginx/ingress-nginx-controller';

/**
 * The controller options a snippet annotation needs: ingress-nginx refuses
 * snippets by default since 1.9 (`allow-snippet-annotations`), and since
 * 1.12 a `configuration-snippet` also needs the annotation risk level raised
 * to Critical. Without them the read-only rule of the registry's plain nginx
 * Ingress would be dropped and anyone could write schemas.
 */
export const SNIPPET_OPTIONS = { 'allow-snippet-annotations': 'true', 'annotations-risk-level': 'Critical' } as const;

const SNIPPET_ANNOTATION = Object.keys(READ_ONLY_SNIPPET)[0];

/** The stages holding a plain nginx Ingress that uses a snippet annotation. */
export function stagesNeedingSnippets(stages: readonly BootstrapStage[]): BootstrapStage[] {
  return stages.filter((s) => s.objects.some((o) => o.kind === 'Ingress' && o.metadata?.annotations?.[SNIPPET_ANNOTATION] !== undefined));
}

/**
 * Sets the snippet options on the running controller's ConfigMap (server-side
 * apply of those two keys only; everything else in it is left alone). It is
 * also the check: the patch fails, naming the ConfigMap, when no controller
 * configuration is where it is expected, before any Ingress is applied.
 */
export function allowSnippets(location: string, provider: k8s.Provider, dependsOn: pulumi.Resource): k8s.core.v1.ConfigMapPatch {
  const [namespace, name, ...rest] = (location || DEFAULT_CONTROLLER_CONFIGMAP).split('/');
  if (!namespace || !name || rest.length > 0) {
    throw new BootstrapConfigError(`ingressNginxConfigMap '${location}' is not <namespace>/<name>, e.g. ${DEFAULT_CONTROLLER_CONFIGMAP}`);
  }
  return new k8s.core.v1.ConfigMapPatch('ingress-nginx-snippets', {
    // The controller's Helm release owns the other keys; force takes over only these two.
    metadata: { namespace, name, annotations: { 'pulumi.com/patchForce': 'true' } },
    data: { ...SNIPPET_OPTIONS },
  }, { provider, dependsOn: [dependsOn] });
}
