import { environments } from '../generated/environments';

export * from '../constructs/alert-stream-props';

/**
 * Every environment, by name: each file of this folder, found by the build (generated/environments.ts).
 * A new environment is a new file and nothing else.
 */
export { environments };

/** The name of a known environment. */
export type EnvironmentName = keyof typeof environments;

/** Known environment names, in a stable order. */
export const environmentNames = Object.keys(environments) as EnvironmentName[];

/** Whether `name` is a known environment. */
export function isEnvironmentName(name: string): name is EnvironmentName {
  return Object.prototype.hasOwnProperty.call(environments, name);
}
