import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ArgoCd } from './types';

export interface StageChartProps {
  /** Position in the deployment order, from 0 (secrets); also the Argo CD sync wave. */
  readonly stage: number;
  /** Namespace of every object in the stage. */
  readonly namespace: string;
}

/**
 * One step of the deployment order. It adds no objects of its own: it sets
 * the namespace, keeps resource names exactly as given, and stamps every
 * object with its Argo CD sync wave.
 */
export class StageChart extends Chart {
  public readonly stage: number;

  constructor(scope: Construct, id: string, props: StageChartProps) {
    super(scope, id, { namespace: props.namespace, disableResourceNameHashes: true });
    this.stage = props.stage;
  }

  /** Annotates every object of the stage with its sync wave; call once all objects exist. */
  public stampSyncWave(): void {
    for (const node of this.node.findAll()) {
      if (ApiObject.isApiObject(node)) node.metadata.addAnnotation(ArgoCd.syncWave, String(this.stage));
    }
  }
}
