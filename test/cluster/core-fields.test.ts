/**
 * lib/core-fields.ts reads the field lists of @kubernetes/client-node's generated models as text (npm test
 * cannot load the ES module); here, where the library loads, every model read that way must equal the
 * library's own class, field for field. Also: the models validate names resolve to exist in the library.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelAttributes, modelOf } from '../../lib/core-fields';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const k8s = require('@kubernetes/client-node') as Record<string, { attributeTypeMap?: unknown } | undefined>;
const folder = path.join(path.dirname(require.resolve('@kubernetes/client-node')), 'gen', 'models');
const models = fs.readdirSync(folder).filter((f) => f.endsWith('.js') && f !== 'all.js' && f !== 'ObjectSerializer.js').map((f) => f.slice(0, -3));

test('the client has its models (a failed read would make every check pass)', () => {
  expect(models.length).toBeGreaterThan(500);
});

test('every model read from its file equals the library class, field for field', () => {
  const different = models.filter((m) => k8s[m]?.attributeTypeMap !== undefined)
    .filter((m) => JSON.stringify(modelAttributes(m)) !== JSON.stringify(k8s[m]!.attributeTypeMap));
  expect(different).toEqual([]);
  expect(models.filter((m) => k8s[m]?.attributeTypeMap !== undefined).length).toBeGreaterThan(500);
});

test.each([
  ['v1', 'Service', 'V1Service'], ['v1', 'Event', 'CoreV1Event'], ['events.k8s.io/v1', 'Event', 'EventsV1Event'],
  ['apps/v1', 'Deployment', 'V1Deployment'], ['batch/v1', 'Job', 'V1Job'], ['networking.k8s.io/v1', 'NetworkPolicy', 'V1NetworkPolicy'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler', 'V2HorizontalPodAutoscaler'], ['policy/v1', 'PodDisruptionBudget', 'V1PodDisruptionBudget'],
])('%s %s is the library class %s', (apiVersion, kind, model) => {
  expect(modelOf(apiVersion, kind)).toBe(model);
  expect(k8s[model]?.attributeTypeMap).toBeDefined();
});

test('a kind the library does not have, or a malformed apiVersion, has no model', () => {
  expect(modelOf('kafka.strimzi.io/v1', 'Kafka')).toBeUndefined();
  expect(modelOf('v1', 'NoSuchKind')).toBeUndefined();
  expect(modelOf('not a version', 'Service')).toBeUndefined();
  expect(modelAttributes('../../package')).toBeUndefined();
});
