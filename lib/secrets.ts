import { VaultBackedSecret } from '../constructs/vault-secret';
import type { Environment } from '../constructs/alert-stream-props';
import { buildEnvironment } from './synthesize';

/** What an environment needs in Vault, derived from what its objects actually read. */
export interface VaultRequirements {
  readonly env: string;
  readonly namespace: string;
  /** Vault path the VaultSecret reads; undefined when the Secret is created by hand. */
  readonly vaultPath?: string;
  /** The Kubernetes Secret the operator writes. */
  readonly secretName: string;
  readonly keys: ReadonlyArray<{ readonly key: string; readonly readBy: readonly string[] }>;
}

/** Every Vault key the environment's objects reference, and who reads it. */
export function vaultRequirements(env: Environment): VaultRequirements[] {
  return buildEnvironment(env)
    .flatMap((stage) => stage.node.findAll())
    .filter((c): c is VaultBackedSecret => c instanceof VaultBackedSecret)
    .map((secret) => ({ env: env.name, namespace: env.namespace, vaultPath: secret.vaultPath, secretName: secret.secretName, keys: secret.requiredKeys }));
}
