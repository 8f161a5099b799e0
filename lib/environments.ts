import { environmentSources } from '../generated/environments';
import type { Environment } from '../constructs/alert-stream-props';
import type { EnvironmentSource } from './environment-source';
import { printable } from './printable';

export * from '../constructs/alert-stream-props';

/**
 * An environment file that cannot be used: it is not data only, it throws while loading, or its `name` is
 * not its file name. The message is one line, `environments/<file>: ...`.
 */
export class EnvironmentLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvironmentLoadError';
  }
}

/** Freezes a value and everything reachable from it, so no code can change an environment once loaded. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/**
 * Loads one environment file: the registry's problem if it has one, else the file's export, frozen deep,
 * whose `name` must be the file's name. Throws EnvironmentLoadError naming the file.
 */
export function loadEnvironment(name: string, source: EnvironmentSource): Environment {
  if (source.problem !== undefined) throw new EnvironmentLoadError(source.problem);
  let env: Environment;
  try {
    env = source.load();
  } catch (error) {
    throw new EnvironmentLoadError(`${source.file}: throws while loading: ${(error as Error)?.name ?? 'Error'}: ${printable((error as Error)?.message ?? error)}`);
  }
  if (env === null || typeof env !== 'object') throw new EnvironmentLoadError(`${source.file}: its export is not an environment object`);
  if (env.name !== name) {
    throw new EnvironmentLoadError(`${source.file}: its name is ${JSON.stringify(printable(env.name))}, but an environment's name must be its file name ('${name}'): set name: '${name}'`);
  }
  return deepFreeze(env);
}

/**
 * A registry of environments whose files are loaded on first access: reading one environment never runs
 * another's file. Each property is a getter that throws EnvironmentLoadError for a file that cannot be used.
 */
export function lazyEnvironments<K extends string>(sources: Readonly<Record<K, EnvironmentSource>>): Readonly<Record<K, Environment>> {
  const registry = {} as Record<K, Environment>;
  for (const name of Object.keys(sources) as K[]) {
    let loaded: Environment | undefined;
    Object.defineProperty(registry, name, {
      enumerable: true,
      get: () => (loaded ??= loadEnvironment(name, sources[name])),
    });
  }
  return Object.freeze(registry);
}

/** The name of a known environment. */
export type EnvironmentName = keyof typeof environmentSources;

/**
 * Every environment, by name: each file of environments/, found by the build (generated/environments.ts)
 * and loaded on first use. A new environment is a new file and nothing else.
 */
export const environments: Readonly<Record<EnvironmentName, Environment>> = lazyEnvironments<EnvironmentName>(environmentSources);

/** Known environment names, in a stable order. */
export const environmentNames = Object.keys(environmentSources) as EnvironmentName[];

/** Whether `name` is a known environment. */
export function isEnvironmentName(name: string): name is EnvironmentName {
  return Object.prototype.hasOwnProperty.call(environmentSources, name);
}

/**
 * Every environment of a registry that loads, and one line for each that does not: for a check over all
 * environments (the cross-environment rule), which must not silently leave one out.
 */
export function loadAll(registry: Readonly<Record<string, Environment>>, except: ReadonlySet<string> = new Set()): { loaded: Array<[string, Environment]>; errors: string[] } {
  const loaded: Array<[string, Environment]> = [];
  const errors: string[] = [];
  for (const name of Object.keys(registry)) {
    if (except.has(name)) continue;
    try {
      loaded.push([name, registry[name]]);
    } catch (error) {
      if (!(error instanceof EnvironmentLoadError)) throw error;
      errors.push(error.message);
    }
  }
  return { loaded, errors };
}
