import { checkNames } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { withChanges } from '../helpers';

const prod = environments['usdfprod-prompt-processing'];

describe('names', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkNames(env)).toEqual([]);
  });

  test.each([
    [{ name: 'Prod' }, 'name', 'Environment'],
    [{ namespace: 'alert_stream' }, 'namespace', 'Namespace/alert_stream'],
    [{ kafka: { name: 'sasquatch.kafka' } }, 'kafka.name', 'Kafka/sasquatch.kafka'],
  ] as const)('fails when %p is not a DNS label', (change, field, resource) => {
    const [problem] = checkNames(withChanges(prod, change as any));
    expect(problem).toMatchObject({ field, resource, message: expect.stringMatching(/is not a DNS label; use lowercase letters, digits and '-', at most 63 characters$/) });
  });
});

test('a one-character name and a 63-character name are DNS labels; 64 characters are not', () => {
  expect(checkNames(withChanges(prod, { namespace: 'a', kafka: { name: 'k'.repeat(63) } }))).toEqual([]);
  expect(checkNames(withChanges(prod, { namespace: 'a'.repeat(64) })).map((p) => p.field)).toEqual(['namespace']);
});
