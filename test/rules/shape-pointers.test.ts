/**
 * The shape rule names a problem under a free-form key (a pod label such as `app.kubernetes.io/name`) as the
 * environment spells it, and finds the value and its schema through ajv's JSON pointers, whose '/' and '~' in
 * keys are escaped (~1, ~0). Only the rule runs, on an environment edited by hand.
 */
import { checkShape } from '../../constructs/rules';
import { environments } from '../../lib/environments';

const prod = environments['usdfprod-prompt-processing'];
const withLabels = (podLabels: Record<string, unknown>) => {
  const env = structuredClone(prod) as any;
  env.ingressControllerPods.podLabels = podLabels;
  return env;
};
const LABEL_VALUE = "a Kubernetes label value (a taint's value): at most 63 letters, digits, '-', '_' and '.'";
const problem = (field: string, message: string) => ({ env: 'usdfprod-prompt-processing', resource: 'Environment', field, message });

test("a value of the wrong type under a key holding '/' is found and quoted", () => {
  expect(checkShape(withLabels({ 'app.kubernetes.io/name': 5, 'app.kubernetes.io/part-of': ['x'] }))).toEqual([
    problem('ingressControllerPods.podLabels.app.kubernetes.io/name', 'must be string, not 5'),
    problem('ingressControllerPods.podLabels.app.kubernetes.io/part-of', 'must be string, not ["x"]'),
  ]);
});

test("a value out of its pattern under keys holding '~' and '/' is described by the value's own schema", () => {
  expect(checkShape(withLabels({ '~1': 'a b', 'x~/y': '-x', '~0/~1': 'ok', 'app.kubernetes.io/name': 'ingress-nginx' }))).toEqual([
    problem('ingressControllerPods.podLabels.~1', `'a b' is not ${LABEL_VALUE}`),
    problem('ingressControllerPods.podLabels.x~/y', `'-x' is not ${LABEL_VALUE}`),
  ]);
});

test('a key that is not a field is named as written', () => {
  const env = structuredClone(prod) as any;
  env.ingressControllerPods['app.kubernetes.io/name'] = 'x';
  expect(checkShape(env)).toEqual([
    problem('ingressControllerPods.app.kubernetes.io/name', 'is not a field of this object (misspelled?); the allowed fields are in constructs/alert-stream-props.ts'),
  ]);
});
