import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/**
 * The NetworkPolicies of Kafbat and the archive server admit only the ingress controller's pods, so
 * where those run is an explicit choice of every environment that serves either (no default: a wrong
 * guess cuts the login route off, or, worse, admits the wrong pods). A selector without labels would
 * admit every pod of the namespace.
 */
export function checkIngressController(env: Environment): Problem[] {
  const served = [env.kafbat && 'Kafbat', env.alertDatabase?.server && 'the archive server'].filter(Boolean);
  if (served.length === 0) return [];
  const problem = (field: string, message: string): Problem => ({ env: env.name, resource: 'NetworkPolicy', field, message });
  const pods = env.ingressControllerPods;
  if (!pods) {
    return [problem('ingressControllerPods', `is required: the NetworkPolicies of ${served.join(' and ')} admit only the ingress controller's pods; ` +
      "give { namespace: '<its namespace>', podLabels: { ... } } (a vcluster whose controller runs on the host: docs/operations.md)")];
  }
  if (Object.keys(pods.podLabels).length === 0) {
    return [problem('ingressControllerPods.podLabels', `is empty: the policies would admit every pod of namespace ${pods.namespace}, not only the controller`)];
  }
  return [];
}
