import { checkStrimziSecurity } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { synthesizeEnvironment } from '../../lib/synthesize';
import { allObjects } from '../helpers';

const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, readOnlyRootFilesystem: true,
  seccompProfile: { type: 'RuntimeDefault' },
};

describe.each(Object.values(environments))('$name', (env) => {
  const objects = allObjects(synthesizeEnvironment(env)) as any[];
  const kafka = objects.find((o) => o.kind === 'Kafka');
  const pools = objects.filter((o) => o.kind === 'KafkaNodePool');
  const replaceKafka = (spec: any) => objects.map((o) => (o === kafka ? { ...o, spec } : o));

  test('every Strimzi pod and container is restricted', () => {
    expect(checkStrimziSecurity(env, objects)).toEqual([]);
  });

  test.each([
    ['entityOperator', 'topicOperatorContainer'], ['entityOperator', 'userOperatorContainer'],
    ['cruiseControl', 'cruiseControlContainer'], ['kafkaExporter', 'container'], ['kafka', 'kafkaContainer'], ['kafka', 'initContainer'],
  ])('%s %s without its context is refused field by field', (component, container) => {
    const template = { ...kafka.spec[component].template, [container]: { ...kafka.spec[component].template[container], securityContext: undefined } };
    const problems = checkStrimziSecurity(env, replaceKafka({ ...kafka.spec, [component]: { ...kafka.spec[component], template } }));
    const at = `spec.${component}.template.${container}.securityContext`;
    expect(problems).toEqual([
      { env: env.name, resource: `Kafka/${kafka.metadata.name}`, field: `${at}.allowPrivilegeEscalation`, message: 'must be false' },
      { env: env.name, resource: `Kafka/${kafka.metadata.name}`, field: `${at}.capabilities.drop`, message: "must include 'ALL'" },
      { env: env.name, resource: `Kafka/${kafka.metadata.name}`, field: `${at}.readOnlyRootFilesystem`, message: 'must be true (Strimzi mounts /tmp for what its containers write)' },
    ]);
  });

  test('runAsNonRoot and seccomp may come from the pod, and are refused when neither sets them', () => {
    const bare = { ...RESTRICTED_CONTAINER, runAsNonRoot: undefined, seccompProfile: undefined };
    const withPod = (pod: any) => replaceKafka({ ...kafka.spec, kafkaExporter: { ...kafka.spec.kafkaExporter, template: { pod: { securityContext: pod }, container: { securityContext: bare } } } });
    expect(checkStrimziSecurity(env, withPod({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }))).toEqual([]);
    expect(checkStrimziSecurity(env, withPod({ runAsNonRoot: false, seccompProfile: { type: 'Unconfined' } })).map((p) => p.field)).toEqual([
      'spec.kafkaExporter.template.pod.securityContext.runAsNonRoot',
      'spec.kafkaExporter.template.container.securityContext.runAsNonRoot',
      'spec.kafkaExporter.template.container.securityContext.seccompProfile.type',
    ]);
    // The container's own setting wins over the pod's.
    const own = replaceKafka({ ...kafka.spec, kafkaExporter: { ...kafka.spec.kafkaExporter, template: {
      pod: { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } },
      container: { securityContext: { ...RESTRICTED_CONTAINER, runAsNonRoot: false, seccompProfile: { type: 'Unconfined' } } },
    } } });
    expect(checkStrimziSecurity(env, own).map((p) => p.message)).toEqual([
      'must be true (here or in the pod context)', "must be 'RuntimeDefault' (here or in the pod context)",
    ]);
  });

  test('a container context without capabilities, or without drop, is refused for it', () => {
    for (const securityContext of [{ ...RESTRICTED_CONTAINER, capabilities: undefined }, { ...RESTRICTED_CONTAINER, capabilities: {} }, { ...RESTRICTED_CONTAINER, capabilities: { drop: ['NET_RAW'] } }]) {
      const spec = { ...kafka.spec, kafkaExporter: { ...kafka.spec.kafkaExporter, template: { ...kafka.spec.kafkaExporter.template, container: { securityContext } } } };
      expect(checkStrimziSecurity(env, replaceKafka(spec)).map((p) => [p.field, p.message])).toEqual([
        ['spec.kafkaExporter.template.container.securityContext.capabilities.drop', "must include 'ALL'"],
      ]);
    }
  });

  test('a component without any template is refused for its pod and each container', () => {
    const problems = checkStrimziSecurity(env, replaceKafka({ ...kafka.spec, cruiseControl: {} }));
    expect(problems.map((p) => p.field)).toEqual([
      'spec.cruiseControl.template.pod.securityContext.runAsNonRoot',
      ...['allowPrivilegeEscalation', 'capabilities.drop', 'readOnlyRootFilesystem', 'runAsNonRoot', 'seccompProfile.type']
        .map((f) => `spec.cruiseControl.template.cruiseControlContainer.securityContext.${f}`),
    ]);
    expect(problems[0].message).toBe('must be true: every Strimzi pod runs restricted');
  });

  test('a new Strimzi component must be listed before it can run', () => {
    const problems = checkStrimziSecurity(env, replaceKafka({ ...kafka.spec, kafkaBridgeSidecar: { template: {} } }));
    expect(problems).toEqual([{
      env: env.name, resource: `Kafka/${kafka.metadata.name}`, field: 'spec.kafkaBridgeSidecar',
      message: 'a Strimzi component this rule does not know: list its containers in constructs/rules/strimzi-security.ts and give them the restricted context',
    }]);
  });

  test("settings that run no pod are not components, and a Kafka without spec has none", () => {
    const spec = { ...kafka.spec, maintenanceTimeWindows: ['0 0 1 ? * *'], clusterCa: { generateCertificateAuthority: true }, clientsCa: {} };
    expect(checkStrimziSecurity(env, replaceKafka(spec))).toEqual([]);
    expect(checkStrimziSecurity(env, replaceKafka(undefined))).toEqual([]);
  });

  test('each node pool is checked on its own template', () => {
    for (const pool of pools) {
      const broken = objects.map((o) => (o === pool ? { ...o, spec: { ...o.spec, template: { ...o.spec.template, initContainer: undefined } } } : o));
      const problems = checkStrimziSecurity(env, broken);
      expect(new Set(problems.map((p) => p.resource))).toEqual(new Set([`KafkaNodePool/${pool.metadata.name}`]));
      // runAsNonRoot and seccomp still come from the pool's pod context.
      expect(problems.map((p) => p.field)).toEqual(
        ['allowPrivilegeEscalation', 'capabilities.drop', 'readOnlyRootFilesystem'].map((f) => `spec.template.initContainer.securityContext.${f}`),
      );
      const noPod = objects.map((o) => (o === pool ? { ...o, spec: { ...o.spec, template: undefined } } : o));
      expect(checkStrimziSecurity(env, noPod).map((p) => p.field)).toContain('spec.template.pod.securityContext.runAsNonRoot');
    }
  });

  test('Kafka pods keep group 0 on their volumes (fsGroup), which Strimzi sets only when the template does not replace the context', () => {
    for (const pool of pools) expect(pool.spec.template.pod.securityContext.fsGroup).toBe(0);
    expect(kafka.spec.entityOperator.template.pod.securityContext.fsGroup).toBeUndefined();
  });
});
