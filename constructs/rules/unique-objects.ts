import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/**
 * No two objects share a kind and a name: the second would silently replace
 * the first when applied (say a community broker named like Kafbat's user).
 */
export function checkUniqueObjects(env: Environment, objects: readonly Record<string, any>[]): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata?.name}`;
    if (seen.has(key)) {
      problems.push({ env: env.name, resource: key, field: 'metadata.name', message: `two ${o.kind} objects are named '${o.metadata?.name}'; rename one in the environment file` });
    }
    seen.add(key);
  }
  return problems;
}
