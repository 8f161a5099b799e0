import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

type Obj = Record<string, any>;

/** Kinds whose pods this project runs itself, and where their pod template is. */
const POD_TEMPLATES: Readonly<Record<string, (o: Obj) => Obj | undefined>> = {
  Deployment: (o) => o.spec?.template,
  StatefulSet: (o) => o.spec?.template,
  DaemonSet: (o) => o.spec?.template,
  ReplicaSet: (o) => o.spec?.template,
  Job: (o) => o.spec?.template,
  CronJob: (o) => o.spec?.jobTemplate?.spec?.template,
  Pod: (o) => o,
};

/** Whether a policy's podSelector selects pods with these labels (matchLabels and matchExpressions). */
function selects(policy: Obj, labels: Readonly<Record<string, string>>): boolean {
  const selector = policy.spec?.podSelector ?? {};
  const byLabel = Object.entries<string>(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e: Obj) => {
    const value = labels[e.key];
    switch (e.operator) {
      case 'In': return value !== undefined && (e.values ?? []).includes(value);
      case 'NotIn': return value === undefined || !(e.values ?? []).includes(value);
      case 'Exists': return value !== undefined;
      case 'DoesNotExist': return value === undefined;
      default: return false;
    }
  });
  return byLabel && byExpression;
}

/**
 * Every pod this project runs (Deployments, Jobs and any future workload) is selected by a NetworkPolicy
 * of type Ingress and by one of type Egress, so what it may receive and what it may call are both written
 * down (constructs/workload-network-policy.ts, constructs/ingress-only-policy.ts).
 */
export function checkNetworkPolicies(env: Environment, objects: readonly Obj[]): Problem[] {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const problems: Problem[] = [];
  for (const object of objects) {
    const template = POD_TEMPLATES[object.kind]?.(object);
    if (template === undefined) continue;
    const labels = template.metadata?.labels ?? {};
    for (const type of ['Ingress', 'Egress']) {
      if (policies.some((p) => (p.spec?.policyTypes ?? []).includes(type) && selects(p, labels))) continue;
      problems.push({
        env: env.name, resource: `${object.kind}/${object.metadata?.name}`, field: 'spec.template.metadata.labels',
        message: `no NetworkPolicy of type ${type} selects its pods: give it one (constructs/workload-network-policy.ts)`,
      });
    }
  }
  return problems;
}
