import type { Environment } from '../alert-stream-props';
import { checkAcrossEnvironments } from './across-environments';
import { checkAutoscaling } from './autoscaling';
import { checkBrokerConfig, forbiddenPrefix, STRIMZI_FORBIDDEN_EXCEPTIONS, STRIMZI_FORBIDDEN_PREFIXES } from './broker-config';
import { checkFiniteNumbers } from './finite-numbers';
import { checkNames } from './names';
import { checkNetworkPolicies } from './network-policies';
import { checkNodeIds } from './node-ids';
import { checkGuardedRoutes } from './guarded-routes';
import { checkIngressController } from './ingress-controller';
import { checkIngressRoutes } from './ingress-routes';
import { checkImageDigests } from './image-digests';
import { checkReferences } from './references';
import { checkReplication } from './replication';
import { checkScheduling, schedulingReport } from './scheduling';
import { checkShape } from './shape';
import type { Problem } from './problem';
import { checkStaticIps } from './static-ips';
import { checkStrimziSecurity } from './strimzi-security';
import { checkUniqueObjects } from './unique-objects';
import { checkUnsetValues, UNSET_MARK } from './unset-values';
import { checkTopics } from './topics';
import { checkUsers } from './users';

export * from './problem';
export {
  checkAcrossEnvironments, checkUnsetValues, UNSET_MARK,
  checkAutoscaling, checkBrokerConfig, forbiddenPrefix, STRIMZI_FORBIDDEN_EXCEPTIONS, STRIMZI_FORBIDDEN_PREFIXES, checkFiniteNumbers, checkGuardedRoutes, checkIngressController, checkIngressRoutes, checkNames, checkNodeIds, checkReferences, checkReplication, checkScheduling, checkShape,
  checkStaticIps, checkTopics, checkUniqueObjects, checkUsers, schedulingReport, checkNetworkPolicies, checkStrimziSecurity, checkImageDigests,
};

/** A rule spanning several resources: a pure function of the environment. */
export type Rule = (env: Environment) => Problem[];

/** Every rule, in the order their problems are reported. */
export const RULES: readonly Rule[] = [
  checkNames, checkNodeIds, checkStaticIps, checkReplication, checkTopics, checkUsers, checkAutoscaling, checkScheduling, checkIngressController,
];

/** A rule over the synthesized objects: what they read and serve must fit together. */
export type ManifestRule = (env: Environment, objects: readonly Record<string, any>[]) => Problem[];

/** Every manifest rule, run after construction by synth and by validate. */
export const MANIFEST_RULES: readonly ManifestRule[] = [
  checkFiniteNumbers, checkUniqueObjects, checkReferences, checkIngressRoutes, checkGuardedRoutes, checkStrimziSecurity, checkNetworkPolicies, checkImageDigests,
];

/** Every problem of the synthesized objects. */
export function checkManifests(env: Environment, objects: readonly Record<string, any>[]): Problem[] {
  return MANIFEST_RULES.flatMap((rule) => rule(env, objects));
}

/**
 * Every problem of the environment; empty when it can be deployed. The shape
 * is checked first: the other rules assume it.
 */
export function checkEnvironment(env: Environment): Problem[] {
  const unset = checkUnsetValues(env);
  if (unset.length > 0) return unset;
  // A key Strimzi forbids in spec.kafka.config is also not a field of BrokerConfig: it is reported once, as forbidden.
  const forbidden = checkBrokerConfig(env);
  const shape = [...forbidden, ...checkShape(env).filter((p) => !forbidden.some((f) => f.field === p.field))];
  return shape.length > 0 ? shape : RULES.flatMap((rule) => rule(env));
}
