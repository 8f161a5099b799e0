/**
 * The Kubernetes 1.28 L1 classes cdk8s-plus-28 ships (`cdk8s import k8s` needs
 * the network). Imported from their own module rather than the cdk8s-plus
 * index, so synth does not load every L2 construct it never uses.
 */
export * from 'cdk8s-plus-28/lib/imports/k8s';
