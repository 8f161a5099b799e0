import type { Environment } from './environment';
import { localBootstrap } from './local-bootstrap';
import { usdfdevPromptProcessing } from './usdfdev-prompt-processing';
import { usdfprodPromptProcessing } from './usdfprod-prompt-processing';

export * from './environment';

/** Every environment, by name. A new environment is a copied file plus one line here. */
export const environments = {
  'usdfdev-prompt-processing': usdfdevPromptProcessing,
  'usdfprod-prompt-processing': usdfprodPromptProcessing,
  'local-bootstrap': localBootstrap,
} as const satisfies Record<string, Environment>;

/** The name of a known environment. */
export type EnvironmentName = keyof typeof environments;

/** Known environment names, in a stable order. */
export const environmentNames = Object.keys(environments) as EnvironmentName[];

/** Whether `name` is a known environment. */
export function isEnvironmentName(name: string): name is EnvironmentName {
  return Object.prototype.hasOwnProperty.call(environments, name);
}
