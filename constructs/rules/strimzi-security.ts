import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

type Obj = Record<string, any>;

/**
 * The `template` keys of the containers of a Kafka `spec` key's component, 'no pod' for settings that run
 * none, undefined for a key this rule does not know: a new component, which the rule refuses until it is
 * listed here, so none can forget its context.
 */
function componentContainers(key: string): readonly string[] | 'no pod' | undefined {
  switch (key) {
    case 'kafka': return ['kafkaContainer', 'initContainer'];
    case 'entityOperator': return ['topicOperatorContainer', 'userOperatorContainer'];
    case 'cruiseControl': return ['cruiseControlContainer'];
    case 'kafkaExporter': return ['container'];
    case 'maintenanceTimeWindows': case 'clusterCa': case 'clientsCa': return 'no pod';
  }
  return undefined;
}

/** What the restricted pod security standard asks of a container, given its pod's context. */
function containerProblems(pod: Obj | undefined, container: Obj | undefined): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (container?.allowPrivilegeEscalation !== false) problems.push(['allowPrivilegeEscalation', 'must be false']);
  if (container?.capabilities?.drop?.includes('ALL') !== true) problems.push(['capabilities.drop', "must include 'ALL'"]);
  if (container?.readOnlyRootFilesystem !== true) problems.push(['readOnlyRootFilesystem', 'must be true (Strimzi mounts /tmp for what its containers write)']);
  if ((container?.runAsNonRoot ?? pod?.runAsNonRoot) !== true) problems.push(['runAsNonRoot', 'must be true (here or in the pod context)']);
  if ((container?.seccompProfile ?? pod?.seccompProfile)?.type !== 'RuntimeDefault') {
    problems.push(['seccompProfile.type', "must be 'RuntimeDefault' (here or in the pod context)"]);
  }
  return problems;
}

/** Problems of one component: `template` is the component's template, `at` its path. */
function componentProblems(env: Environment, resource: string, template: Obj | undefined, at: string, containers: readonly string[]): Problem[] {
  const pod = template?.pod?.securityContext;
  const problems: Problem[] = [];
  if (pod?.runAsNonRoot !== true) {
    problems.push({ env: env.name, resource, field: `${at}.template.pod.securityContext.runAsNonRoot`, message: 'must be true: every Strimzi pod runs restricted' });
  }
  for (const container of containers) {
    for (const [field, message] of containerProblems(pod, template?.[container]?.securityContext)) {
      problems.push({ env: env.name, resource, field: `${at}.template.${container}.securityContext.${field}`, message });
    }
  }
  return problems;
}

/**
 * Every pod Strimzi runs for us — the Kafka nodes of each pool, the entity operator's two containers,
 * Cruise Control and the Kafka exporter — carries the restricted security context through Strimzi's
 * `template` sections (Strimzi's own defaults are not restricted unless its operator is configured so).
 */
export function checkStrimziSecurity(env: Environment, objects: readonly Obj[]): Problem[] {
  const problems: Problem[] = [];
  for (const object of objects) {
    const resource = `${object.kind}/${object.metadata?.name}`;
    if (object.kind === 'Kafka') {
      for (const [key, component] of Object.entries<Obj>(object.spec ?? {})) {
        const containers = componentContainers(key);
        if (containers === 'no pod') continue;
        if (containers === undefined) {
          problems.push({ env: env.name, resource, field: `spec.${key}`,
            message: 'a Strimzi component this rule does not know: list its containers in constructs/rules/strimzi-security.ts and give them the restricted context' });
          continue;
        }
        problems.push(...componentProblems(env, resource, component?.template, `spec.${key}`, containers));
      }
    } else if (object.kind === 'KafkaNodePool') {
      problems.push(...componentProblems(env, resource, object.spec?.template, 'spec', ['kafkaContainer', 'initContainer']));
    }
  }
  return problems;
}
