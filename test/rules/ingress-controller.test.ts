import { checkIngressController } from '../../constructs/rules';
import { environments } from '../../lib/environments';

const prod = environments['usdfprod-prompt-processing'];
const without = (change: Record<string, unknown>) => ({ ...structuredClone(prod), ...change }) as any;

test('every environment of this project says where its ingress controller runs', () => {
  for (const env of Object.values(environments)) expect([env.name, checkIngressController(env)]).toEqual([env.name, []]);
});

test('no default: an environment serving Kafbat or the archive server must say where the controller runs', () => {
  expect(checkIngressController(without({ ingressControllerPods: undefined }))).toEqual([{
    env: prod.name, resource: 'NetworkPolicy', field: 'ingressControllerPods',
    message: "is required: the NetworkPolicies of Kafbat and the archive server admit only the ingress controller's pods; " +
      "give { namespace: '<its namespace>', podLabels: { ... } } (a vcluster whose controller runs on the host: docs/operations.md)",
  }]);
  const onlyKafbat = without({ ingressControllerPods: undefined, alertDatabase: { ...prod.alertDatabase!, server: undefined } });
  expect(checkIngressController(onlyKafbat)[0].message).toMatch(/^is required: the NetworkPolicies of Kafbat admit only/);
  const onlyServer = without({ ingressControllerPods: undefined, kafbat: undefined });
  expect(checkIngressController(onlyServer)[0].message).toMatch(/^is required: the NetworkPolicies of the archive server admit only/);
});

test('an environment with neither needs none', () => {
  expect(checkIngressController(without({ ingressControllerPods: undefined, kafbat: undefined, alertDatabase: undefined }))).toEqual([]);
});

test('empty pod labels would admit the whole namespace: refused', () => {
  expect(checkIngressController(without({ ingressControllerPods: { namespace: 'ingress-nginx', podLabels: {} } }))).toEqual([{
    env: prod.name, resource: 'NetworkPolicy', field: 'ingressControllerPods.podLabels',
    message: 'is empty: the policies would admit every pod of namespace ingress-nginx, not only the controller',
  }]);
});
