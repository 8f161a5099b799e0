import { App } from 'cdk8s';
import type { Environment } from '../environments/environment';
import { BrokerPool } from './broker-pool';
import { ControllerPool } from './controller-pool';
import { KafkaCluster } from './kafka-cluster';
import { KafkaMetrics } from './kafka-metrics';
import { StageChart } from './stage-chart';

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
  const [controllerStage, brokerStage, kafkaStage] = stages;
  const { metrics: metricsOptions, ...kafka } = env.kafka;
  const clusterName = kafka.name;

  new ControllerPool(controllerStage, 'ControllerPool', { clusterName, ...env.controllers });
  new BrokerPool(brokerStage, 'BrokerPool', { clusterName, ...env.brokers });

  const metrics = metricsOptions && new KafkaMetrics(kafkaStage, 'KafkaMetrics', { clusterName, ...metricsOptions });
  new KafkaCluster(kafkaStage, 'KafkaCluster', {
    ...kafka,
    namespace: env.namespace,
    externalListener: env.externalListener,
    metricsConfig: metrics,
  });

  stages.forEach((stage) => stage.stampSyncWave());
  return stages;
}
