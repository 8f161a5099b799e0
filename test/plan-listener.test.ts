import { environments } from '../lib/environments';
import { formatPlan, planChanges, synthesizedObjects } from '../lib/plan';
import { synthesizeEnvironment } from '../lib/synthesize';
import { findObject, withChanges } from './helpers';

const prod = environments['usdfprod-prompt-processing'];
const takenOut = withChanges(prod, { externalListener: { takenOut: true } });

describe("the manual's full restart: the external listener taken out and put back", () => {
  test('taken out, the Kafka resource has no external listener; the internal ones stay', () => {
    const listeners = findObject(takenOut, 'Kafka', 'sasquatch').spec.kafka.listeners;
    expect(listeners.map((l: any) => l.name)).toEqual(['plain', 'tls']);
    expect(findObject(prod, 'Kafka', 'sasquatch').spec.kafka.listeners.map((l: any) => l.name)).toEqual(['plain', 'tls', 'external']);
  });

  test('plan flags it once, as cutting off every community broker, with the procedure', () => {
    const plan = planChanges(synthesizedObjects(prod), synthesizedObjects(takenOut));
    expect(plan.unsafe.map((u) => [u.rule, u.object, u.before, u.after])).toEqual([
      ['external-listener-removal', 'Kafka/sasquatch', 'listener external:9094 (loadbalancer, 5 brokers)', 'taken out'],
    ]);
    const text = formatPlan(prod.name, plan);
    expect(text).toContain('delete `takenOut: true` and sync again');
    expect(text).toContain('--allow external-listener-removal');
  });

  test('put back, every broker has its pinned address again and nothing is unsafe', () => {
    const plan = planChanges(synthesizedObjects(takenOut), synthesizedObjects(prod));
    expect(plan.unsafe).toEqual([]);
    expect(planChanges(synthesizedObjects(prod), synthesizedObjects(withChanges(takenOut, { externalListener: { takenOut: false } })))).toEqual({ changes: [], unsafe: [] });
  });

  test('the pinned addresses are still checked while the listener is out', () => {
    const broken = withChanges(takenOut, { externalListener: { brokers: [] } });
    expect(() => synthesizeEnvironment(broken)).toThrow(/broker 5 has no pinned load-balancer IP and host/);
  });
});

describe('the bootstrap address every client configures', () => {
  const kafka = (bootstrap: Record<string, unknown>, type = 'loadbalancer') => ({
    file: '0003-kafka.k8s.yaml',
    object: { apiVersion: 'kafka.strimzi.io/v1', kind: 'Kafka', metadata: { name: 'k' }, spec: { kafka: { listeners: [{ name: 'external', port: 9094, type, configuration: { bootstrap } }] } } },
  });
  const unsafe = (a: Record<string, unknown>, b: Record<string, unknown>, type?: string) =>
    planChanges([kafka(a, type)], [kafka(b, type)]).unsafe.map((u) => [u.rule, u.object, u.before, u.after]);
  const pinned = (ip: string, host = 'boot.example.org') => ({ annotations: { 'metallb.io/loadBalancerIPs': ip }, alternativeNames: [host] });

  test.each([
    ['its IP', pinned('10.0.0.1'), pinned('10.0.0.2'), ['bootstrap boot.example.org 10.0.0.1', 'bootstrap boot.example.org 10.0.0.2']],
    ['its host', pinned('10.0.0.1'), pinned('10.0.0.1', 'new.example.org'), ['bootstrap boot.example.org 10.0.0.1', 'bootstrap new.example.org 10.0.0.1']],
    ['a loadBalancerIP', { loadBalancerIP: '10.0.0.1' }, { loadBalancerIP: '10.0.0.9' }, ['bootstrap ? 10.0.0.1', 'bootstrap ? 10.0.0.9']],
    ['a host field', { host: 'a.example.org' }, { host: 'b.example.org' }, ['bootstrap a.example.org ?', 'bootstrap b.example.org ?']],
    ['its pin removed', pinned('10.0.0.1'), { alternativeNames: ['boot.example.org'] }, ['bootstrap boot.example.org 10.0.0.1', 'bootstrap boot.example.org ?']],
  ])('a change of %s is UNSAFE', (_what, before, after, [b, a]) => {
    expect(unsafe(before, after)).toEqual([['bootstrap-address-change', 'Kafka/k', b, a]]);
  });

  test('several alternative names are all compared, each named', () => {
    const names = (...n: string[]) => ({ annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.1' }, alternativeNames: n });
    expect(unsafe(names('a.example.org', 'b.example.org'), names('a.example.org', 'c.example.org')))
      .toEqual([['bootstrap-address-change', 'Kafka/k', 'bootstrap a.example.org, b.example.org 10.0.0.1', 'bootstrap a.example.org, c.example.org 10.0.0.1']]);
  });

  test("only the Kafka resource's listeners are the cluster's bootstrap: another kind of the same shape is not compared", () => {
    const other = (ip: string) => ({ ...kafka(pinned(ip)), object: { ...kafka(pinned(ip)).object, kind: 'KafkaMirrorMaker2' } });
    expect(planChanges([other('10.0.0.1')], [other('10.0.0.2')]).unsafe).toEqual([]);
  });

  test('the procedure says to publish DNS first and keep the old address until clients moved', () => {
    const plan = planChanges([kafka(pinned('10.0.0.1'))], [kafka(pinned('10.0.0.2'))]);
    expect(plan.unsafe[0].procedure).toMatch(/^every client configures the bootstrap address \(DMTN-214, "DNS Records"\): a new IP or host breaks each one until its DNS record and its configuration follow\. /);
    expect(plan.unsafe[0].procedure).toMatch(/ Publish the new DNS record first, tell the community brokers, and keep the old address until they moved\.$/);
  });

  test('a node port listener: a new bootstrap node port is UNSAFE', () => {
    expect(unsafe({ nodePort: 31090 }, { nodePort: 31099 }, 'nodeport')).toEqual([['bootstrap-address-change', 'Kafka/k', 'bootstrap ? port 31090', 'bootstrap ? port 31099']]);
  });

  test('the same address, or other bootstrap settings changed, is safe', () => {
    expect(unsafe(pinned('10.0.0.1'), pinned('10.0.0.1'))).toEqual([]);
    expect(unsafe(pinned('10.0.0.1'), { ...pinned('10.0.0.1'), annotations: { 'metallb.io/loadBalancerIPs': '10.0.0.1', 'metallb.io/address-pool': 'p' } })).toEqual([]);
  });

  test('an environment whose bootstrap host or IP changes is refused by plan, with the procedure', () => {
    const listener = prod.externalListener as any;
    for (const bootstrap of [{ ...listener.bootstrap, ip: '134.79.23.250' }, { ...listener.bootstrap, host: 'other-bootstrap.slac.stanford.edu' }]) {
      const plan = planChanges(synthesizedObjects(prod), synthesizedObjects(withChanges(prod, { externalListener: { bootstrap } })));
      expect(plan.unsafe.map((u) => u.rule)).toEqual(['bootstrap-address-change']);
      expect(formatPlan(prod.name, plan)).toContain('--allow bootstrap-address-change');
    }
  });
});
