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
