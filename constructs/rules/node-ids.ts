import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/**
 * Node ids are non-negative integers, and no id is used twice, within a pool
 * or across the controller and broker pools: Strimzi names each pod and PVC
 * after its id.
 */
export function checkNodeIds(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const owner = new Map<number, string>();
  const pools = [
    { key: 'controllers', name: 'controller', ids: env.controllers.nodeIds, removing: env.controllers.removing ?? [] },
    { key: 'brokers', name: 'kafka', ids: env.brokers.nodeIds, removing: env.brokers.removing ?? [] },
  ] as const;
  for (const pool of pools) {
    const problem = (field: string, message: string): Problem =>
      ({ env: env.name, resource: `KafkaNodePool/${pool.name}`, field, message });
    if (pool.ids.length === 0) {
      problems.push(problem(`${pool.key}.nodeIds`, 'no node ids; a pool needs at least one node'));
    }
    pool.ids.forEach((id, i) => {
      const field = `${pool.key}.nodeIds[${i}]`;
      if (!Number.isInteger(id) || id < 0) {
        problems.push(problem(field, `node id ${id} is not a non-negative integer`));
      } else if (owner.has(id)) {
        problems.push(problem(field, `node id ${id} is already used by ${owner.get(id)}; every node id is unique across pools`));
      } else {
        owner.set(id, `${pool.key}.nodeIds`);
      }
    });
  }
  // Ids being removed: each named once, and not a node of the other pool (it is still a node of its own
  // pool during the first step, and of no pool after the second).
  for (const pool of pools) {
    const seen = new Set<number>();
    pool.removing.forEach((id, i) => {
      const field = `${pool.key}.removing[${i}]`;
      const problem = (message: string): Problem => ({ env: env.name, resource: `KafkaNodePool/${pool.name}`, field, message });
      const other = pools.find((p) => p !== pool && p.ids.includes(id));
      if (!Number.isInteger(id) || id < 0) problems.push(problem(`node id ${id} is not a non-negative integer`));
      else if (seen.has(id)) problems.push(problem(`node id ${id} is listed twice`));
      else if (other) problems.push(problem(`node id ${id} is a node of the ${other.name} pool (${other.key}.nodeIds), not of this one`));
      seen.add(id);
    });
  }
  return problems;
}
