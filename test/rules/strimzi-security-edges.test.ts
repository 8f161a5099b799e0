// The Strimzi security rule on hand-made objects (no synthesis): an object it is given may lack parts, and each
// missing part is a finding, never a crash.
import { checkStrimziSecurity } from '../../constructs/rules';
import { environments } from '../../lib/environments';

const env = environments['usdfprod-prompt-processing'];

test('a Kafka without metadata is named Kafka/undefined, and its unrestricted exporter is refused', () => {
  const problems = checkStrimziSecurity(env, [{ apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', spec: { kafkaExporter: {} } }]);
  expect(problems.map((p) => [p.resource, p.field])).toEqual([
    ['Kafka/undefined', 'spec.kafkaExporter.template.pod.securityContext.runAsNonRoot'],
    ['Kafka/undefined', 'spec.kafkaExporter.template.container.securityContext.allowPrivilegeEscalation'],
    ['Kafka/undefined', 'spec.kafkaExporter.template.container.securityContext.capabilities.drop'],
    ['Kafka/undefined', 'spec.kafkaExporter.template.container.securityContext.readOnlyRootFilesystem'],
    ['Kafka/undefined', 'spec.kafkaExporter.template.container.securityContext.runAsNonRoot'],
    ['Kafka/undefined', 'spec.kafkaExporter.template.container.securityContext.seccompProfile.type'],
  ]);
});

test('a component given as null has no template: every field of its pod and containers is refused', () => {
  const problems = checkStrimziSecurity(env, [{ apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: 'sasquatch' }, spec: { cruiseControl: null } }]);
  expect(problems.map((p) => p.field)).toEqual([
    'spec.cruiseControl.template.pod.securityContext.runAsNonRoot',
    'spec.cruiseControl.template.cruiseControlContainer.securityContext.allowPrivilegeEscalation',
    'spec.cruiseControl.template.cruiseControlContainer.securityContext.capabilities.drop',
    'spec.cruiseControl.template.cruiseControlContainer.securityContext.readOnlyRootFilesystem',
    'spec.cruiseControl.template.cruiseControlContainer.securityContext.runAsNonRoot',
    'spec.cruiseControl.template.cruiseControlContainer.securityContext.seccompProfile.type',
  ]);
  expect(problems.every((p) => p.resource === 'Kafka/sasquatch')).toBe(true);
});

test('a node pool without a spec has no template: every field of its pod and both containers is refused', () => {
  const problems = checkStrimziSecurity(env, [{ apiVersion: 'kafka.strimzi.io/v1', kind: 'KafkaNodePool', metadata: { name: 'kafka' } }]);
  expect(problems.map((p) => p.field)).toEqual([
    'spec.template.pod.securityContext.runAsNonRoot',
    ...['kafkaContainer', 'initContainer'].flatMap((container) => [
      `spec.template.${container}.securityContext.allowPrivilegeEscalation`,
      `spec.template.${container}.securityContext.capabilities.drop`,
      `spec.template.${container}.securityContext.readOnlyRootFilesystem`,
      `spec.template.${container}.securityContext.runAsNonRoot`,
      `spec.template.${container}.securityContext.seccompProfile.type`,
    ]),
  ]);
  expect(problems.every((p) => p.resource === 'KafkaNodePool/kafka')).toBe(true);
});
