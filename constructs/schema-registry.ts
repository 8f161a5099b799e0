import { Construct } from 'constructs';
import { StrimziSchemaRegistry } from '../imports/strimzi-registry-roundtable.lsst.codes';
import { KafkaUserAccount } from './kafka-user';
import { StreamTopic } from './kafka-topic';
import { Resources, STRIMZI_CLUSTER_LABEL } from './types';
import type { Count, ImageTag } from './types';

/** The registry's image tag unless an environment sets another; Renovate updates it (renovate.json, test/renovate.test.ts). */
export const REGISTRY_DEFAULT_TAG = '8.3.1';

/** The operator's decisions for the schema registry. */
export interface SchemaRegistryOptions {
  /** @default REGISTRY_DEFAULT_TAG (confluentinc/cp-schema-registry); `<tag>@sha256:<digest>` pins it */
  readonly imageTag?: ImageTag;
  /** @default 3 */
  readonly replicas?: Count;
  /** @default - 100m CPU / 1Gi requested, 1 CPU / 2Gi limit */
  readonly resources?: Resources;
}

export interface SchemaRegistryProps extends SchemaRegistryOptions {
  /** Name of the Kafka resource the registry stores its schemas in. */
  readonly clusterName: string;
  /** Namespace of the registry, for the address other namespaces use. */
  readonly namespace: string;
  /** Replication factor of the schema topic. */
  readonly topicReplicas: number;
}

const DEFAULT_RESOURCES: Resources = {
  requests: { cpu: '100m', memory: '1Gi' },
  limits: { cpu: '1', memory: '2Gi' },
};

/** Name of the registry, its KafkaUser and Service: the operator requires user and registry to share it. */
export function schemaRegistryName(clusterName: string): string {
  return `${clusterName}-schema-registry`;
}

/** Port of the registry's Service. */
export const SCHEMA_REGISTRY_PORT = 8081;

/**
 * The Confluent Schema Registry, run by strimzi-registry-operator from a
 * StrimziSchemaRegistry: the resource itself, its compacted schema topic, and
 * the KafkaUser (same name) whose certificate it connects with on the `tls`
 * listener. Compatibility is `none`: the schema sync job loads every alert
 * schema version, which fails under the operator's default (`forward`).
 */
export class SchemaRegistry extends Construct {
  /** Name of the StrimziSchemaRegistry, its KafkaUser, Deployment and Service. */
  public readonly registryName: string;
  /** The topic the registry stores schemas in. */
  public readonly topic: StreamTopic;
  public readonly user: KafkaUserAccount;
  private readonly namespace: string;

  constructor(scope: Construct, id: string, props: SchemaRegistryProps) {
    super(scope, id);
    this.registryName = schemaRegistryName(props.clusterName);
    this.namespace = props.namespace;
    const resources = props.resources ?? DEFAULT_RESOURCES;

    this.topic = new StreamTopic(this, 'Topic', {
      clusterName: props.clusterName,
      name: 'registry-schemas',
      partitions: 1,
      defaultReplicas: props.topicReplicas,
      config: { 'cleanup.policy': 'compact' },
    });
    this.user = new KafkaUserAccount(this, 'User', {
      clusterName: props.clusterName,
      username: this.registryName,
      authentication: { type: 'tls' },
      acls: [
        { resource: { type: 'topic', name: this.topic.topicName }, operations: ['Read'] },
        { resource: { type: 'topic', name: this.topic.topicName }, operations: ['Write'] },
        { resource: { type: 'topic', name: this.topic.topicName }, operations: ['DescribeConfigs'] },
        { resource: { type: 'group', name: 'schema-registry', patternType: 'prefix' }, operations: ['All'] },
        { resource: { type: 'topic', name: '__consumer_offsets' }, operations: ['Describe'] },
      ],
    });
    new StrimziSchemaRegistry(this, 'Resource', {
      metadata: { name: this.registryName, labels: { [STRIMZI_CLUSTER_LABEL]: props.clusterName } },
      spec: {
        // The Strimzi API version the operator reads the Kafka resource with. Phalanx says v1beta2, which
        // Strimzi 1.x no longer serves; operator 0.7.1 passes the version straight to the Kubernetes API,
        // and the fields it reads (status.listeners) are the same in v1.
        strimziVersion: 'v1',
        listener: 'tls',
        securityProtocol: 'SSL',
        compatibilityLevel: 'none',
        registryImage: 'confluentinc/cp-schema-registry',
        registryImageTag: props.imageTag ?? REGISTRY_DEFAULT_TAG,
        registryTopic: this.topic.topicName,
        replicas: props.replicas ?? 3,
        serviceType: 'ClusterIP',
        cpuRequest: resources.requests.cpu,
        cpuLimit: resources.limits.cpu,
        memoryRequest: resources.requests.memory,
        memoryLimit: resources.limits.memory,
      },
    });
  }

  /** Name of the registry's Service. */
  public get serviceName(): string {
    return this.registryName;
  }

  /** Labels of the registry's pods (the registry operator's Deployment labels them `app: <name>`), port SCHEMA_REGISTRY_PORT. */
  public get podLabels(): Readonly<Record<string, string>> {
    return { app: this.registryName };
  }

  /** URL from the registry's own namespace, e.g. `http://sasquatch-schema-registry:8081`. */
  public get url(): string {
    return `http://${this.serviceName}:${SCHEMA_REGISTRY_PORT}`;
  }

  /** URL from any namespace, e.g. `http://sasquatch-schema-registry.sasquatch:8081`. */
  public get clusterUrl(): string {
    return `http://${this.serviceName}.${this.namespace}:${SCHEMA_REGISTRY_PORT}`;
  }
}
