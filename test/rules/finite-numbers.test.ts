import { checkFiniteNumbers } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { allObjects } from '../helpers';
import { synthesizeEnvironment } from '../../lib/synthesize';

const prod = environments['usdfprod-prompt-processing'];

test('the synthesized objects of every environment hold only finite numbers', () => {
  for (const env of Object.values(environments)) expect(checkFiniteNumbers(env, allObjects(synthesizeEnvironment(env)))).toEqual([]);
});

test.each([NaN, Infinity, -Infinity])('%p anywhere in an object is refused, by object and field', (bad) => {
  const objects = [{ kind: 'KafkaTopic', metadata: { name: 't' }, spec: { partitions: 1, config: { 'retention.ms': bad } } },
    { kind: 'ConfigMap', metadata: { name: 'c' }, data: { list: [1, bad] } }];
  expect(checkFiniteNumbers(prod, objects)).toEqual([
    { env: prod.name, resource: 'KafkaTopic/t', field: 'spec.config.retention.ms', message: `${bad} cannot be written to a manifest; every number must be finite` },
    { env: prod.name, resource: 'ConfigMap/c', field: 'data.list[1]', message: `${bad} cannot be written to a manifest; every number must be finite` },
  ]);
});

test('a top-level non-finite number is named by its key; null, strings and nested lists are walked or skipped', () => {
  const objects = [{ kind: 'X', metadata: { name: 'x' }, count: NaN, nothing: null, text: 'NaN', nested: [[0, [Infinity]]] }, { kind: 'Y', value: -Infinity }];
  expect(checkFiniteNumbers(prod, objects).map((p) => `${p.resource} ${p.field}`)).toEqual(['X/x count', 'X/x nested[0][1][0]', 'Y/undefined value']);
});

test('each field is walked once, whatever its name (a key named "undefined" too)', () => {
  const objects = [{ kind: 'X', metadata: { name: 'x' }, spec: { undefined: NaN, list: [Infinity] } }];
  expect(checkFiniteNumbers(prod, objects).map((p) => p.field)).toEqual(['spec.undefined', 'spec.list[0]']);
});
