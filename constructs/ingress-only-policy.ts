import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy } from './k8s';
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
    new KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: props.name },
      spec: {
        podSelector: { matchLabels: { ...props.podLabels } },
        policyTypes: ['Ingress'],
        ingress: [{
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': controller.namespace } },
              podSelector: { matchLabels: { ...controller.podLabels } },
            },
            ...(props.alsoFrom ?? []).map((labels) => ({ podSelector: { matchLabels: { ...labels } } })),
          ],
          ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(props.port) }],
        }],
      },
    });
  }
}
