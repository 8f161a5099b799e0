import { Construct } from 'constructs';
import type { AlertStreamProps } from './alert-stream-props';
import type { StageChart } from './stage-chart';
import { buildStages } from './stages';

export type { AlertStreamProps } from './alert-stream-props';

/**
 * The whole Alert Distribution System of one environment: its stage charts, in the operator manual's
 * order (`stages`), each a cdk8s chart depending on the one before. Usable from any cdk8s app:
 *
 *   new AlertStream(app, 'usdfprod', environments['usdfprod-prompt-processing']);
 *
 * The rules of constructs/rules/ are not run here (a construct does no I/O and throws no reports);
 * lib/synthesize.ts runs them before and after.
 */
export class AlertStream extends Construct {
  /** The stage charts, stage 0 first. */
  public readonly stages: readonly StageChart[];

  constructor(scope: Construct, id: string, props: AlertStreamProps) {
    super(scope, id);
    this.stages = buildStages(this, props);
  }
}
