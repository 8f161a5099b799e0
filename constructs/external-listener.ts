import {
  KafkaSpecKafkaListeners,
  KafkaSpecKafkaListenersAuthenticationType,
  KafkaSpecKafkaListenersType,
} from '../imports/strimzi-kafka-kafka.strimzi.io';
import type { DataKey, HostName, Ipv4Address, NodeId, NodePort, ObjectName } from './types';

/** A static, DNS-registered address of the external listener. */
export interface PinnedAddress {
  /** DNS name clients use; its A record must point at `ip`. */
  readonly host: HostName;
  /** IPv4 address MetalLB gives the load balancer Service. */
  readonly ip: Ipv4Address;
}

/** One broker's external address. */
export interface PinnedBroker extends PinnedAddress {
  /** Strimzi node id of the broker: one of the broker pool's `nodeIds`. */
  readonly nodeId: NodeId;
}

/** A certificate for TLS on the external listener, instead of the cluster CA's. */
export interface ExternalTlsCertificate {
  readonly secretName: ObjectName;
  /** Key of the certificate chain in the Secret. */
  readonly certificate: DataKey;
  /** Key of the private key in the Secret. */
  readonly key: DataKey;
}

/**
 * A MetalLB load balancer for bootstrap and one per broker, every address
 * pinned. The manual: the brokers MUST point to static IPs, or a restart
 * hands out new ones and DNS and TLS break.
 */
export interface LoadBalancerListenerOptions extends ExternalListenerSwitch {
  readonly type: 'loadbalancer';
  /** MetalLB address pool the pinned IPs belong to. */
  readonly addressPool: ObjectName;
  /** The bootstrap Service; its host is what clients configure. */
  readonly bootstrap: PinnedAddress;
  /** One entry per broker node id of the broker pool. */
  readonly brokers: readonly PinnedBroker[];
  /**
   * TLS on the public listener, chosen explicitly (README, "The external listener: TLS or plaintext").
   * `false`: SCRAM-SHA-512 over plain TCP, as today: anyone on the path reads the alerts and can record
   * the SCRAM exchange to guess weak passwords offline. `true`: TLS, with broker certificates the cluster
   * CA signs (the bootstrap host is added to their names; clients must trust that CA, `ca.crt` of Secret
   * `<cluster>-cluster-ca-cert`, which Strimzi renews) unless `tlsCertificate` gives one.
   */
  readonly tls: boolean;
  /**
   * With `tls: true`: the certificate chain and key brokers present instead of the cluster CA's (e.g. a
   * publicly trusted one from cert-manager, naming the bootstrap and every broker host), so clients need
   * nothing but their system trust store. Not used without TLS.
   * @default - the cluster CA's
   */
  readonly tlsCertificate?: ExternalTlsCertificate;
}

/** One broker's node port. */
export interface NodePortBroker {
  /** Strimzi node id of the broker: one of the broker pool's `nodeIds`. */
  readonly nodeId: NodeId;
  /** Port on every node, 30000-32767; the broker advertises it. */
  readonly nodePort: NodePort;
}

/**
 * Node ports instead of load balancers, for clusters without MetalLB (kind,
 * minikube): clients reach `advertisedHost:<nodePort>`. Ports are pinned so
 * they survive a restart, as the IPs of the load-balancer listener are.
 */
export interface NodePortListenerOptions extends ExternalListenerSwitch {
  readonly type: 'nodeport';
  /** Host clients use to reach the nodes, e.g. `localhost` with kind's port mappings. */
  readonly advertisedHost: HostName;
  /** Node port of the bootstrap Service, 30000-32767. */
  readonly bootstrapNodePort: NodePort;
  /** One entry per broker node id of the broker pool. */
  readonly brokers: readonly NodePortBroker[];
}

/** What both kinds of external listener share. */
export interface ExternalListenerSwitch {
  /**
   * Take the external listener out of the Kafka resource, for the manual's full
   * restart (DMTN-214 "Troubleshooting": "comment out the external load
   * balancer and broker IPs", then put them back once the pods run). Strimzi
   * deletes the bootstrap and broker Services; the pinned addresses stay in
   * this file, so deleting this line brings them back unchanged.
   * @default false
   */
  readonly takenOut?: boolean;
}

/**
 * The public listener community brokers connect to; `type` says which kind, and a problem is reported
 * against that kind only.
 * @discriminator type
 */
export type ExternalListenerOptions = LoadBalancerListenerOptions | NodePortListenerOptions;

/** Port of the external listener; brokers advertise it too. */
export const EXTERNAL_LISTENER_PORT = 9094;

/** MetalLB annotations that pin a load balancer Service to one address. */
function metallbAnnotations(addressPool: string, ip: string): Record<string, string> {
  return { 'metallb.io/address-pool': addressPool, 'metallb.io/loadBalancerIPs': ip };
}

/** The Kafka listener named `external` on port 9094, SCRAM-SHA-512 authenticated; none while taken out. */
export function renderExternalListener(options: ExternalListenerOptions): KafkaSpecKafkaListeners | undefined {
  if (options.takenOut) return undefined;
  if (options.type === 'nodeport') {
    return {
      name: 'external',
      port: EXTERNAL_LISTENER_PORT,
      type: KafkaSpecKafkaListenersType.NODEPORT,
      tls: false,
      authentication: { type: KafkaSpecKafkaListenersAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
      configuration: {
        bootstrap: { nodePort: options.bootstrapNodePort },
        brokers: options.brokers.map((broker) => ({
          broker: broker.nodeId,
          nodePort: broker.nodePort,
          advertisedHost: options.advertisedHost,
          advertisedPort: broker.nodePort,
        })),
      },
    };
  }
  const tls = options.tls;
  const cert = tls ? options.tlsCertificate : undefined;
  return {
    name: 'external',
    port: EXTERNAL_LISTENER_PORT,
    type: KafkaSpecKafkaListenersType.LOADBALANCER,
    tls,
    authentication: { type: KafkaSpecKafkaListenersAuthenticationType.SCRAM_HYPHEN_SHA_HYPHEN_512 },
    configuration: {
      // MetalLB needs no node ports; allocating them only wastes the node port range.
      allocateLoadBalancerNodePorts: false,
      bootstrap: {
        annotations: metallbAnnotations(options.addressPool, options.bootstrap.ip),
        // The bootstrap's DNS name: in the cluster CA's broker certificates when TLS is on (Strimzi ignores it
        // otherwise), and always in the output, so that `plan` sees a change of the name clients configure.
        alternativeNames: [options.bootstrap.host],
      },
      brokers: options.brokers.map((broker) => ({
        broker: broker.nodeId,
        advertisedHost: broker.host,
        advertisedPort: EXTERNAL_LISTENER_PORT,
        annotations: metallbAnnotations(options.addressPool, broker.ip),
      })),
      brokerCertChainAndKey: cert
        ? { secretName: cert.secretName, certificate: cert.certificate, key: cert.key }
        : undefined,
    },
  };
}
