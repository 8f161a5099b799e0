/** bootstrap/index.ts as an inline program: the same function on the same stack configuration. */
import { deployStages, readConfig } from '../../bootstrap/deploy';

export const bootstrapProgram = async () => {
  const deployed = deployStages(readConfig());
  return { namespace: deployed.namespace, stages: deployed.stages };
};
