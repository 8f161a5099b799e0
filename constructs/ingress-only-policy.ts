import { Construct } from 'constructs';
import { Namespaces, NetworkPolicy, NetworkPolicyPort, Pods } from './plus';
import type { DnsLabel, LabelValue } from './types';

/**
 * Where the ingress controller's pods run, so a policy can admit exactly them: an explicit choice of every
 * environment that serves Kafbat or the archive server (there is no default). In a virtual cluster
 * (vcluster) whose controller runs on the host cluster, no selector inside can name it: docs/operations.md,
 * "NetworkPolicies in a vcluster".
 */
export interface IngressControllerPods {
  /** Namespace of the ingress controller (Gafaelfawr's ingresses are served by it too), e.g. `ingress-nginx`. */
  readonly namespace: DnsLabel;
  /** Labels of the controller pods, e.g. `{ 'app.kubernetes.io/name': 'ingress-nginx' }`. */
  readonly podLabels: Readonly<Record<string, LabelValue>>;
}

export interface IngressOnlyPolicyProps {
  /** Name of the NetworkPolicy. */
  readonly name: string;
  /** Labels of the pods it guards. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The container port the ingress sends to. */
  readonly port: number;
  readonly ingressController: IngressControllerPods;
  /** Pods of the same namespace that also need the port (by their labels). @default - none */
  readonly alsoFrom?: ReadonlyArray<Readonly<Record<string, string>>>;
}


/**
 * A NetworkPolicy for a workload that leaves authentication to its ingress
 * (Kafbat runs with `AUTH_TYPE=DISABLED`): only the ingress controller, and
 * the pods listed, may open its port; any other pod of the cluster is refused,
 * so nobody can walk around the login by calling the Service directly.
 */
export class IngressOnlyPolicy extends Construct {
  constructor(scope: Construct, id: string, props: IngressOnlyPolicyProps) {
    super(scope, id);
    const controller = props.ingressController;
    // The controller's pods in its namespace (selected by its `kubernetes.io/metadata.name` label), and the pods listed.
    const peers = [
      Pods.select(this, 'IngressController', {
        labels: { ...controller.podLabels },
        namespaces: Namespaces.select(this, 'IngressControllerNamespace', { names: [controller.namespace] }),
      }),
      ...(props.alsoFrom ?? []).map((labels, i) => Pods.select(this, `AlsoFrom${i}`, { labels: { ...labels } })),
    ];
    new NetworkPolicy(this, 'Resource', {
      metadata: { name: props.name },
      selector: Pods.select(this, 'Pods', { labels: { ...props.podLabels } }),
      // One rule per peer (the L2 construct's form): the same set of connections as one rule listing them all.
      ingress: { rules: peers.map((peer) => ({ peer, ports: [NetworkPolicyPort.tcp(props.port)] })) },
    });
  }
}
