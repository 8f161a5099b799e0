import { Construct } from 'constructs';
import { strimziContainerSecurity, strimziPodSecurity } from './pod-security';
import {
  KafkaNodePool,
  KafkaNodePoolSpecResourcesLimits,
  KafkaNodePoolSpecResourcesRequests,
  KafkaNodePoolSpecRoles,
  KafkaNodePoolSpecStorageType,
  KafkaNodePoolSpecStorageVolumesType,
  KafkaNodePoolSpecTemplatePodAffinity,
} from '../imports/strimzi-kafkanodepool-kafka.strimzi.io';
import { ArgoCd, ByteQuantity, Resources, STRIMZI_CLUSTER_LABEL, Toleration } from './types';
import type { NodeId, ObjectName, Seconds } from './types';

/**
 * How the pods of a node pool are spread over Kubernetes nodes.
 * - `required`: never two pods of the Kafka cluster on one node. A hard rule:
 *   the cluster needs at least as many nodes as it has such pods.
 * - `preferred`: the scheduler spreads them when it can.
 * - `none`: no constraint (single-node test clusters).
 */
export type PodAntiAffinity = 'required' | 'preferred' | 'none';

/** The operator's decisions for one node pool; they live in the environment file. */
export interface NodePoolOptions {
  /**
   * Strimzi node ids of this pool, rendered as `strimzi.io/next-node-ids`.
   * The pool's replica count is the number of ids.
   * @stateful Strimzi ties each node's PVC, and a broker's external IP, to its id.
   */
  readonly nodeIds: readonly NodeId[];
  /**
   * Node ids being removed from the pool, rendered as `strimzi.io/remove-node-ids`: when the pool scales
   * down, Strimzi removes exactly these nodes (without the annotation it removes the highest ids, not the
   * ones dropped from `nodeIds`). Removing a broker is two changes: first list its id here while it is
   * still in `nodeIds` (then move its partitions away: KafkaRebalance `remove-brokers`), then drop it from
   * `nodeIds`. Its pinned address stays until a third change removes it from here. docs/operations.md.
   * @default - none
   */
  readonly removing?: readonly NodeId[];
  /** Size of each node's single JBOD volume. Kubernetes volumes can only grow. */
  readonly storageSize: ByteQuantity;
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: ObjectName;
  /** Requests and limits of each Kafka container of the pool. */
  readonly resources: Resources;
  /** How the pool's pods are spread over Kubernetes nodes. */
  readonly podAntiAffinity: PodAntiAffinity;
  /** @default - none */
  readonly tolerations?: readonly Toleration[];
  /**
   * Seconds a node gets to shut down cleanly before it is killed.
   * @default 180 (moving partition leadership away takes minutes on a busy broker)
   */
  readonly terminationGracePeriodSeconds?: Seconds;
}

export interface NodePoolProps extends NodePoolOptions {
  /** Name of the Kafka resource the pool belongs to (`strimzi.io/cluster`). */
  readonly clusterName: string;
  /**
   * Name of the KafkaNodePool; Strimzi names pods and PVCs `<cluster>-<pool>-<id>`.
   * @stateful
   * @default - `controller` for the controller pool, `kafka` for the broker pool
   */
  readonly name?: string;
}

/** What the nodes of a pool do in KRaft. */
export type NodeRole = 'controller' | 'broker';

/** Argo CD must neither show Strimzi's PVCs as out of sync nor prune them (that deletes the data). */
const PVC_ANNOTATIONS = {
  [ArgoCd.compareOptions]: 'IgnoreExtraneous',
  [ArgoCd.syncOptions]: 'Prune=false',
};

const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 180;

/**
 * A Strimzi KafkaNodePool with one persistent JBOD volume per node that is
 * never deleted with the pool (`deleteClaim: false`). Use `ControllerPool` or
 * `BrokerPool`.
 * @stateful
 */
export abstract class NodePool extends Construct {
  /** Name of the KafkaNodePool resource. */
  public readonly poolName: string;
  /** What the pool's nodes do. */
  public readonly role: NodeRole;
  private readonly ids: readonly number[];

  protected constructor(scope: Construct, id: string, props: NodePoolProps, role: NodeRole, defaultName: string) {
    super(scope, id);
    this.poolName = props.name ?? defaultName;
    this.role = role;
    if (props.nodeIds.length === 0) {
      throw new Error(`KafkaNodePool '${this.poolName}': nodeIds is empty; a pool needs at least one node id`);
    }
    this.ids = [...props.nodeIds];
    const gracePeriod = props.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;

    new KafkaNodePool(this, 'Resource', {
      metadata: {
        name: this.poolName,
        labels: { [STRIMZI_CLUSTER_LABEL]: props.clusterName },
        annotations: {
          'strimzi.io/next-node-ids': `[${this.ids.join(',')}]`,
          ...(props.removing?.length ? { 'strimzi.io/remove-node-ids': `[${props.removing.join(',')}]` } : {}),
        },
      },
      spec: {
        replicas: this.ids.length,
        roles: [role === 'controller' ? KafkaNodePoolSpecRoles.CONTROLLER : KafkaNodePoolSpecRoles.BROKER],
        storage: {
          type: KafkaNodePoolSpecStorageType.JBOD,
          volumes: [{
            id: 0,
            type: KafkaNodePoolSpecStorageVolumesType.PERSISTENT_HYPHEN_CLAIM,
            size: props.storageSize,
            class: props.storageClass,
            deleteClaim: false,
          }],
        },
        resources: {
          requests: {
            cpu: KafkaNodePoolSpecResourcesRequests.fromString(props.resources.requests.cpu),
            memory: KafkaNodePoolSpecResourcesRequests.fromString(props.resources.requests.memory),
          },
          limits: {
            cpu: KafkaNodePoolSpecResourcesLimits.fromString(props.resources.limits.cpu),
            memory: KafkaNodePoolSpecResourcesLimits.fromString(props.resources.limits.memory),
          },
        },
        template: {
          persistentVolumeClaim: { metadata: { annotations: PVC_ANNOTATIONS } },
          pod: {
            terminationGracePeriodSeconds: gracePeriod,
            affinity: antiAffinity(props.podAntiAffinity, props.clusterName),
            tolerations: props.tolerations?.map((t) => ({ ...t })),
            securityContext: strimziPodSecurity(true),
          },
          kafkaContainer: { securityContext: strimziContainerSecurity() },
          initContainer: { securityContext: strimziContainerSecurity() },
        },
      },
    });
  }

  /** The pool's node ids (a copy). */
  public get nodeIds(): number[] {
    return [...this.ids];
  }
}

/** Keeps the pool's pods off nodes that run any other pod of the same Kafka cluster. */
function antiAffinity(mode: PodAntiAffinity, clusterName: string): KafkaNodePoolSpecTemplatePodAffinity | undefined {
  const term = {
    labelSelector: { matchExpressions: [{ key: STRIMZI_CLUSTER_LABEL, operator: 'In', values: [clusterName] }] },
    topologyKey: 'kubernetes.io/hostname',
  };
  switch (mode) {
    case 'required':
      return { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term] } };
    case 'preferred':
      return { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] } };
    case 'none':
      return undefined;
  }
}
