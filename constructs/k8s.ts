/**
 * The Kubernetes 1.28 L1 classes cdk8s-plus-28 ships (`cdk8s import k8s` needs
 * the network), the ones the constructs use where an L2 construct (constructs/plus.ts)
 * cannot express the object (each use says why). Imported from their own module rather
 * than the cdk8s-plus index, so synth does not load every L2 construct it never
 * uses; and the bundle keeps only the classes named here, those the L2 modules of
 * constructs/plus.ts reference, and what they need (scripts/prune-k8s.cjs), so name each one used.
 */
export {
  IntOrString, KubeDeployment, KubeIngress, KubeJob, KubeNetworkPolicy, KubePodDisruptionBudget, KubeService, Quantity,
} from 'cdk8s-plus-28/lib/imports/k8s';
export type { Container, EnvVar, NetworkPolicyEgressRule, Volume } from 'cdk8s-plus-28/lib/imports/k8s';
