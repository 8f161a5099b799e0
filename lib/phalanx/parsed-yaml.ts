import { parse } from 'yaml';

/**
 * YAML parsed once per text: one `npm run phalanx` reads the umbrella's values files once per environment, image and
 * sub-chart (the ownership check, Renovate's tags), and the sasquatch chart's values are large. Keyed by the text
 * itself, so an edited file is parsed afresh. The value is shared: callers only read it (frozen to make sure).
 */
const cache = new Map<string, unknown>();
const LIMIT = 64;

export function parsedYaml(text: string): unknown {
  if (cache.has(text)) return cache.get(text);
  const value = deepFreeze(parse(text));
  if (cache.size >= LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, value);
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
