import { App } from 'cdk8s';
import { Construct as ConstructScope } from 'constructs';
import type { Environment } from '../environments/environment';
import { BrokerPool } from './broker-pool';
import { ControllerPool } from './controller-pool';
import { KafkaCluster } from './kafka-cluster';
import { KafkaMetrics } from './kafka-metrics';
import { StreamTopic } from './kafka-topic';
import { RegistryIngress } from './registry-ingress';
import { SchemaRegistry } from './schema-registry';
import { SchemaSyncJob } from './schema-sync-job';
import { StageChart } from './stage-chart';
import { StreamUsers } from './stream-users';
import { VaultBackedSecret } from './vault-secret';

/**
 * The operator manual's recommended deployment order. The file prefix in
 * `dist/`, the Argo CD sync wave and the bootstrap order all come from this list.
 */
export const STAGE_IDS = [
  'controller-pool',
  'broker-pool',
  'kafka',
  'schema-registry',
  'registry-ingress',
  'services',
] as const;

export type StageId = (typeof STAGE_IDS)[number];

/** Builds one chart per stage, in order, each depending on the one before. */
export function buildStages(app: App, env: Environment): readonly StageChart[] {
  const stages = STAGE_IDS.map((id, index) => new StageChart(app, id, { stage: index + 1, namespace: env.namespace }));
  stages.forEach((stage, index) => index > 0 && stage.addDependency(stages[index - 1]));
  const [controllerStage, brokerStage, kafkaStage, registryStage, ingressStage, servicesStage] = stages;
  const { metrics: metricsOptions, ...kafkaOptions } = env.kafka;
  const clusterName = kafkaOptions.name;

  // 1, 2: the node pools (empty until the Kafka resource exists).
  new ControllerPool(controllerStage, 'ControllerPool', { clusterName, ...env.controllers });
  new BrokerPool(brokerStage, 'BrokerPool', { clusterName, ...env.brokers });

  // 3: the cluster, its metrics rules and its super user.
  const metrics = metricsOptions && new KafkaMetrics(kafkaStage, 'KafkaMetrics', { clusterName, ...metricsOptions });
  new KafkaCluster(kafkaStage, 'KafkaCluster', {
    ...kafkaOptions,
    namespace: env.namespace,
    externalListener: env.externalListener,
    metricsConfig: metrics,
  });

  // 4, 5: the schema registry, then its public read-only route.
  const { ingress: registryIngress, ...registryOptions } = env.schemaRegistry;
  const registry = new SchemaRegistry(registryStage, 'SchemaRegistry', {
    ...registryOptions,
    clusterName,
    namespace: env.namespace,
    topicReplicas: kafkaOptions.replicationFactor,
  });
  new RegistryIngress(ingressStage, 'RegistryIngress', {
    ...registryIngress,
    controller: env.ingressController,
    serviceName: registry.serviceName,
  });

  // 6: everything else.
  const secret = new VaultBackedSecret(servicesStage, 'VaultSecret', { vaultPathPrefix: env.vaultPathPrefix });
  const topics = new ConstructScope(servicesStage, 'Topics');
  for (const topic of env.topics) {
    new StreamTopic(topics, topic.name, { ...topic, clusterName, defaultReplicas: kafkaOptions.replicationFactor });
  }
  new StreamUsers(servicesStage, 'Users', { clusterName, users: env.users, passwords: secret });
  new SchemaSyncJob(servicesStage, 'SchemaSync', { ...env.schemaSync, registryUrl: registry.url });

  stages.forEach((stage) => stage.stampSyncWave());
  return stages;
}
