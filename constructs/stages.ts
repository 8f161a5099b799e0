import { Construct as ConstructScope } from 'constructs';
import { acceptUnpinnedImages } from './unpinned-images';
import type { Environment } from './alert-stream-props';
import type { IngressControllerPods } from './ingress-only-policy';
import { AlertArchiveServer } from './alert-archive-server';
import { AlertDatabaseIngester } from './alert-database-ingester';
import { BrokerPool } from './broker-pool';
import { ControllerPool } from './controller-pool';
import { Kafbat } from './kafbat';
import { KafkaCluster } from './kafka-cluster';
import { KafkaMetrics } from './kafka-metrics';
import { PodMonitors } from './pod-monitors';
import { StreamTopic } from './kafka-topic';
import { RegistryIngress } from './registry-ingress';
import { SchemaRegistry } from './schema-registry';
import { SchemaSyncJob } from './schema-sync-job';
import { StageChart } from './stage-chart';
import { StreamUsers } from './stream-users';
import { VaultBackedSecret } from './vault-secret';

/**
 * The operator manual's recommended deployment order. The file prefix in
 * `dist/`, the Argo CD sync wave and the bootstrap order all come from this
 * list: a stage's number is its index. Stage 0 holds the Secret everything
 * after it reads, so the manual's own steps keep their numbers from 1.
 */
export const STAGE_IDS = [
  'secrets',
  'controller-pool',
  'broker-pool',
  'kafka',
  'schema-registry',
  'registry-ingress',
  'schema-sync',
  'services',
] as const;

export type StageId = (typeof STAGE_IDS)[number];

/** Builds one chart per stage, in order, each depending on the one before. */
export function buildStages(scope: ConstructScope, env: Environment): readonly StageChart[] {
  const stages = STAGE_IDS.map((id, index) => new StageChart(scope, id, { stage: index, namespace: env.namespace }));
  stages.forEach((stage, index) => index > 0 && stage.addDependency(stages[index - 1]));
  const [secretsStage, controllerStage, brokerStage, kafkaStage, registryStage, ingressStage, schemaSyncStage, servicesStage] = stages;
  const clusterName = env.kafka.name;

  // 0: the Secret the users and services read, in a wave before its first reader.
  const secret = new VaultBackedSecret(secretsStage, 'VaultSecret', { vaultPathPrefix: env.vaultPathPrefix });

  // 1, 2: the node pools (empty until the Kafka resource exists).
  new ControllerPool(controllerStage, 'ControllerPool', { clusterName, ...env.controllers });
  new BrokerPool(brokerStage, 'BrokerPool', { clusterName, ...env.brokers });

  // 3: the cluster, its super user and its monitoring.
  const monitoring = env.monitoring;
  const metrics = monitoring && new KafkaMetrics(kafkaStage, 'KafkaMetrics', {
    clusterName,
    includeTopicMetrics: monitoring.includeTopicMetrics,
    cruiseControl: monitoring.cruiseControlMetrics,
  });
  if (monitoring && (monitoring.podMonitors ?? true)) {
    new PodMonitors(kafkaStage, 'PodMonitors', {
      clusterName,
      namespace: env.namespace,
      strimziOperatorNamespace: monitoring.strimziOperatorNamespace,
    });
  }
  const kafka = new KafkaCluster(kafkaStage, 'KafkaCluster', {
    ...env.kafka,
    namespace: env.namespace,
    externalListener: env.externalListener,
    passwords: secret,
    metrics,
    // The super users are KafkaUsers of stage 7: the Kafka resource names their principals only.
    superUserScope: new ConstructScope(servicesStage, 'SuperUsers'),
  });

  // 4, 5: the schema registry, then its public read-only route.
  const { ingress: registryIngress, ...registryOptions } = env.schemaRegistry;
  const registry = new SchemaRegistry(registryStage, 'SchemaRegistry', {
    ...registryOptions,
    clusterName,
    namespace: env.namespace,
    topicReplicas: env.kafka.replicationFactor,
  });
  new RegistryIngress(ingressStage, 'RegistryIngress', {
    ...registryIngress,
    controller: env.ingressController,
    serviceName: registry.serviceName,
  });

  // 6: the schemas: a PostSync hook, so nothing waits on it (it runs after stage 7 and checks the registry).
  new SchemaSyncJob(schemaSyncStage, 'SchemaSync', { ...env.schemaSync, registryUrl: registry.url, registryPodLabels: registry.podLabels });

  // 7: everything else.
  const topics = new ConstructScope(servicesStage, 'Topics');
  for (const topic of env.topics) {
    new StreamTopic(topics, topic.name, { ...topic, clusterName, defaultReplicas: env.kafka.replicationFactor });
  }
  new StreamUsers(servicesStage, 'Users', { clusterName, users: env.users, passwords: secret });
  if (env.alertDatabase) {
    const { storage, ingester, server } = env.alertDatabase;
    new AlertDatabaseIngester(servicesStage, 'AlertDatabaseIngester', { ...ingester, kafka, registryUrl: registry.url, registryPodLabels: registry.podLabels, storage, secret });
    if (server) {
      new AlertArchiveServer(servicesStage, 'AlertArchiveServer', {
        ...server, storage, secret, host: env.host, ingressController: env.ingressController, ingressControllerPods: ingressControllerPods(env),
      });
    }
  }
  if (env.kafbat) {
    new Kafbat(servicesStage, 'Kafbat', {
      ...env.kafbat, kafka, registryUrl: registry.clusterUrl, registryPodLabels: registry.podLabels, host: env.host, ingressController: env.ingressController,
      ingressControllerPods: ingressControllerPods(env),
    });
  }

  if (env.imagesWithoutDigest !== undefined) stages.forEach((stage) => acceptUnpinnedImages(stage, env.imagesWithoutDigest!));
  stages.forEach((stage) => stage.stampSyncWave());
  return stages;
}

/** The environment's ingress controller pods; the rule checkIngressController refuses an environment without them first. */
function ingressControllerPods(env: Environment): IngressControllerPods {
  if (!env.ingressControllerPods) throw new Error(`${env.name}: ingressControllerPods is required (checkIngressController)`);
  return env.ingressControllerPods;
}
