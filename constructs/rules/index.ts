import type { Environment } from '../../environments/environment';
import { checkAutoscaling } from './autoscaling';
import { checkNodeIds } from './node-ids';
import { checkReferences } from './references';
import type { Problem } from './problem';
import { checkStaticIps } from './static-ips';
import { checkTopics } from './topics';
import { checkUsers } from './users';

export * from './problem';
export { checkAutoscaling, checkNodeIds, checkReferences, checkStaticIps, checkTopics, checkUsers };

/** A rule spanning several resources: a pure function of the environment. */
export type Rule = (env: Environment) => Problem[];

/** Every rule, in the order their problems are reported. */
export const RULES: readonly Rule[] = [checkNodeIds, checkStaticIps, checkTopics, checkUsers, checkAutoscaling];

/** Every problem of the environment; empty when it can be deployed. */
export function checkEnvironment(env: Environment): Problem[] {
  return RULES.flatMap((rule) => rule(env));
}
