/**
 * The cdk8s-plus-28 L2 constructs the constructs use, each imported from its own module rather than the
 * cdk8s-plus index, so synth does not load every L2 construct it never uses. They build on the Kubernetes
 * classes of `cdk8s-plus-28/lib/imports/k8s`, which the bundle prunes (scripts/prune-k8s.cjs): it keeps the
 * classes constructs/k8s.ts names and every one the modules listed here (and the modules they require)
 * reference, so import each L2 module through this file.
 */
export { ConfigMap } from 'cdk8s-plus-28/lib/config-map';
export { Namespaces } from 'cdk8s-plus-28/lib/namespace';
export { NetworkPolicy, NetworkPolicyPort, NetworkPolicyTrafficDefault } from 'cdk8s-plus-28/lib/network-policy';
export { Pods } from 'cdk8s-plus-28/lib/pod';
export { ServiceAccount } from 'cdk8s-plus-28/lib/service-account';
