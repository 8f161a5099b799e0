import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

type Obj = Record<string, any>;

/** The pod template of a kind of workload (any future one included), or undefined for other kinds. */
function podTemplate(o: Obj): Obj | undefined {
  switch (o.kind) {
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job': return o.spec?.template;
    case 'CronJob': return o.spec?.jobTemplate?.spec?.template;
    case 'Pod': return o;
  }
  return undefined;
}

/** Whether a pod's value of the key (undefined: no such label) matches one requirement; an unknown operator matches none. */
function matchesExpression(value: string | undefined, e: Obj): boolean {
  switch (e.operator) {
    case 'In': return e.values?.includes(value) === true;
    case 'NotIn': return e.values?.includes(value) !== true;
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
  }
  return false;
}

/** Whether a policy's podSelector selects pods with these labels (matchLabels and matchExpressions; an unknown operator selects none). */
function selects(policy: Obj, labels: Readonly<Record<string, string>>): boolean {
  const selector = policy.spec?.podSelector ?? {};
  const byLabel = Object.entries<string>(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const byExpression = (selector.matchExpressions ?? []).every((e: Obj) => matchesExpression(labels[e.key], e));
  return byLabel && byExpression;
}

/** A policy's types; without `policyTypes`, Kubernetes takes Ingress, and Egress when it has egress rules. */
function typesOf(policy: Obj): readonly string[] {
  return policy.spec?.policyTypes ?? (policy.spec?.egress === undefined ? ['Ingress'] : ['Ingress', 'Egress']);
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
    const template = podTemplate(object);
    if (template === undefined) continue;
    const labels = template.metadata?.labels ?? {};
    for (const type of ['Ingress', 'Egress']) {
      if (policies.some((p) => typesOf(p).includes(type) && selects(p, labels))) continue;
      problems.push({
        env: env.name, resource: `${object.kind}/${object.metadata?.name}`, field: 'spec.template.metadata.labels',
        message: `no NetworkPolicy of type ${type} selects its pods: give it one (constructs/workload-network-policy.ts)`,
      });
    }
  }
  return problems;
}
