import { checkNodeIds } from '../../constructs/rules';
import { environments } from '../../lib/environments';
import { withChanges } from '../helpers';

const dev = environments['usdfdev-prompt-processing'];

describe('node ids', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkNodeIds(env)).toEqual([]);
  });

  test('fails when a broker reuses a controller node id', () => {
    expect(checkNodeIds(withChanges(dev, { brokers: { nodeIds: [2, 4, 5, 6, 7] } }))).toEqual([{
      env: 'usdfdev-prompt-processing',
      resource: 'KafkaNodePool/kafka',
      field: 'brokers.nodeIds[0]',
      message: 'node id 2 is already used by controllers.nodeIds; every node id is unique across pools',
    }]);
  });

  test('fails when a pool lists an id twice', () => {
    expect(checkNodeIds(withChanges(dev, { controllers: { nodeIds: [0, 1, 1] } }))).toEqual([
      expect.objectContaining({ resource: 'KafkaNodePool/controller', field: 'controllers.nodeIds[2]' }),
    ]);
  });

  test.each([[-1], [1.5], [Number.NaN]])('fails when a node id is not a non-negative integer: %p', (id) => {
    expect(checkNodeIds(withChanges(dev, { controllers: { nodeIds: [0, 1, id] } }))).toEqual([{
      env: 'usdfdev-prompt-processing',
      resource: 'KafkaNodePool/controller',
      field: 'controllers.nodeIds[2]',
      message: `node id ${id} is not a non-negative integer`,
    }]);
  });

  test('fails when a pool has no node ids', () => {
    expect(checkNodeIds(withChanges(dev, { controllers: { nodeIds: [] } }))).toEqual([{
      env: 'usdfdev-prompt-processing',
      resource: 'KafkaNodePool/controller',
      field: 'controllers.nodeIds',
      message: 'no node ids; a pool needs at least one node',
    }]);
  });
});
