import type { Environment } from '../constructs/alert-stream-props';

/**
 * One file of environments/, as the generated registry (generated/environments.ts) lists it: how to load
 * it, or why it is not loaded at all (it is not data only).
 */
export type EnvironmentSource =
  | { readonly file: string; readonly load: () => Environment; readonly problem?: undefined }
  | { readonly file: string; readonly problem: string; readonly load?: undefined };
