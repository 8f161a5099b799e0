import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy, NetworkPolicyEgressRule } from './k8s';
import { NetworkPolicy, NetworkPolicyTrafficDefault, Pods } from './plus';

/** A peer of the same namespace a workload may open connections to: pods by their labels, on TCP ports. */
export interface PodPeer {
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ports: readonly number[];
}

export interface WorkloadNetworkPolicyProps {
  /** Name of the NetworkPolicies (`<name>-egress`, and `<name>-no-ingress` when `ingress` is 'none'). */
  readonly name: string;
  /** Labels of the workload's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Pods of the namespace it calls: the Kafka brokers, the schema registry. @default - none */
  readonly pods?: readonly PodPeer[];
  /**
   * An HTTPS or HTTP endpoint outside the cluster it calls (S3), as a URL: egress to its port at any address
   * (a NetworkPolicy cannot name a host, and the endpoint's addresses are not ours to pin).
   * @default - none
   */
  readonly externalUrl?: string;
  /**
   * 'none': no pod may connect to it (a second policy selects it for ingress with no rule). 'own': the
   * workload has its own ingress policy (IngressOnlyPolicy).
   */
  readonly ingress: 'none' | 'own';
}

/** The port a URL's connections go to. */
export function urlPort(url: string): number {
  const parsed = new URL(url);
  if (parsed.port !== '') return Number(parsed.port);
  return parsed.protocol === 'http:' ? 80 : 443;
}

/**
 * The egress a workload needs and nothing else: DNS (port 53 at any address: cluster DNS or a node-local
 * cache), the pods it calls in its namespace on their ports, and an external endpoint's port. With
 * `ingress: 'none'`, also a policy that admits no connection to its pods.
 */
export class WorkloadNetworkPolicy extends Construct {
  constructor(scope: Construct, id: string, props: WorkloadNetworkPolicyProps) {
    super(scope, id);
    const tcp = (port: number) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) });
    const egress: NetworkPolicyEgressRule[] = [
      { ports: [{ protocol: 'UDP', port: IntOrString.fromNumber(53) }, tcp(53)] },
      ...(props.pods ?? []).map((peer) => ({
        to: [{ podSelector: { matchLabels: { ...peer.podLabels } } }],
        ports: peer.ports.map(tcp),
      })),
      ...(props.externalUrl === undefined ? [] : [{ ports: [tcp(urlPort(props.externalUrl))] }]),
    ];
    // L1: every rule of cdk8s-plus-28's NetworkPolicy names a peer; DNS and the external endpoint are open to any address, which no peer (pods, one ipBlock) covers.
    new KubeNetworkPolicy(this, 'Egress', {
      metadata: { name: `${props.name}-egress` },
      spec: { podSelector: { matchLabels: { ...props.podLabels } }, policyTypes: ['Egress'], egress },
    });
    if (props.ingress === 'none') {
      new NetworkPolicy(this, 'NoIngress', {
        metadata: { name: `${props.name}-no-ingress` },
        selector: Pods.select(this, 'Pods', { labels: { ...props.podLabels } }),
        ingress: { default: NetworkPolicyTrafficDefault.DENY },
      });
    }
  }
}
