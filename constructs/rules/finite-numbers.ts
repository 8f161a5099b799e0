import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/**
 * No object holds `NaN` or `Infinity`: YAML would write `.nan` / `.inf`, which no Kubernetes field
 * accepts. The environment's own numbers are checked by their types already; this catches any that a
 * construct computes from them.
 */
export function checkFiniteNumbers(env: Environment, objects: readonly Record<string, any>[]): Problem[] {
  const problems: Problem[] = [];
  const walk = (value: unknown, at: string, resource: string): void => {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      problems.push({ env: env.name, resource, field: at, message: `${value} cannot be written to a manifest; every number must be finite` });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${at}[${i}]`, resource));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, at ? `${at}.${k}` : k, resource);
    }
  };
  for (const object of objects) walk(object, '', `${object.kind}/${object.metadata?.name}`);
  return problems;
}
