import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

type Obj = Record<string, any>;

/** Kinds whose pods a Service can send to. */
const SERVING_WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  selector !== undefined && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/**
 * Whether the ingress asks for a login: Gafaelfawr scopes, or nginx basic auth. Asked of every object: another kind
 * with that annotation has no routes (`backends` finds none), so what it answers for them does not matter.
 */
function requiresLogin(ingress: Obj): boolean {
  if (ingress.kind === 'GafaelfawrIngress') return ingress.config?.scopes?.anonymous !== true;
  return ingress.metadata?.annotations?.['nginx.ingress.kubernetes.io/auth-type'] !== undefined;
}

/** Services an ingress sends to. */
function backends(ingress: Obj): string[] {
  const spec = ingress.kind === 'Ingress' ? ingress.spec : ingress.template?.spec;
  // Stryker disable next-line ArrayDeclaration,MethodExpression: a placeholder rule has no http paths, a placeholder path no backend; unfiltered, an absent name matches no Service (every object has a name)
  return (spec?.rules ?? []).flatMap((rule: Obj) => (rule.http?.paths ?? []).map((p: Obj) => p.backend?.service?.name)).filter(Boolean);
}

/** A policy that admits only named peers: every rule has a `from`, every peer names a namespace. */
// Stryker disable next-line ArrayDeclaration: a placeholder policy type is not 'Ingress' either
const closed = (policy: Obj) => (policy.spec?.policyTypes ?? []).includes('Ingress') &&
  (policy.spec.ingress ?? []).every((rule: Obj) => (rule.from ?? []).length > 0 && rule.from.every((peer: Obj) => peer.namespaceSelector !== undefined));

/**
 * A workload behind a route that requires a login (Kafbat runs with
 * `AUTH_TYPE=DISABLED`; the archive server checks no scope) trusts its
 * ingress to check it. Its pods must be guarded by a NetworkPolicy that
 * admits named peers only, or any pod of the cluster could call the Service
 * and skip the login.
 */
export function checkGuardedRoutes(env: Environment, objects: readonly Obj[]): Problem[] {
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  const problems: Problem[] = [];
  for (const ingress of objects.filter(requiresLogin)) {
    for (const serviceName of backends(ingress)) {
      const service = objects.find((o) => o.kind === 'Service' && o.metadata?.name === serviceName);
      const workloads = objects.filter((o) => SERVING_WORKLOADS.has(o.kind) && matches(service?.spec?.selector, o.spec?.template?.metadata?.labels));
      for (const workload of workloads) {
        const pods = workload.spec.template.metadata.labels;
        // An Egress-only policy says nothing about who may connect; one without policyTypes is of type Ingress.
        const guards = policies.filter((p) => (p.spec?.policyTypes ?? ['Ingress']).includes('Ingress') && matches(p.spec?.podSelector?.matchLabels ?? {}, pods));
        if (guards.length === 0 || !guards.every(closed)) {
          problems.push({
            env: env.name, resource: `${workload.kind}/${workload.metadata.name}`, field: 'spec.template.metadata.labels',
            message: `${ingress.kind}/${ingress.metadata.name} requires a login, but ${guards.length === 0 ? 'no NetworkPolicy guards its pods' : 'a NetworkPolicy admits any pod'}: ` +
              `any pod of the cluster could call Service ${serviceName} and skip it; guard them with an IngressOnlyPolicy (constructs/ingress-only-policy.ts)`,
          });
        }
      }
    }
  }
  return problems;
}
