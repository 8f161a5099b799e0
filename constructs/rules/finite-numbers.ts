import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/**
 * No object holds `NaN` or `Infinity`: YAML would write `.nan` / `.inf`, which no Kubernetes field
 * accepts. The environment's own numbers are checked by their types already; this catches any that a
 * construct computes from them.
 */
export function checkFiniteNumbers(env: Environment, objects: readonly Record<string, any>[]): Problem[] {
  const problems: Problem[] = [];
  // The path is kept as a list and spelled out only for a problem: most objects have none, and building
  // a string per value was most of this rule's time on large environments.
  const path: Array<string | number> = [];
  const field = () => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
  const walk = (value: unknown, resource: string): void => {
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) problems.push({ env: env.name, resource, field: field(), message: `${value} cannot be written to a manifest; every number must be finite` });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        path.push(i);
        walk(item, resource);
        path.pop();
      });
    } else if (value !== null && typeof value === 'object') {
      // By index: a for-of allocates an iterator result per key until V8 optimizes this function.
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        path.push(keys[i]);
        walk((value as Record<string, unknown>)[keys[i]], resource);
        path.pop();
      }
    }
  };
  for (let i = 0; i < objects.length; i++) walk(objects[i], `${objects[i].kind}/${objects[i].metadata?.name}`);
  return problems;
}
