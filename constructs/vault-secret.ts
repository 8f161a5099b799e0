import { Construct } from 'constructs';
import { VaultSecret } from '../imports/vault-secrets-ricoberger.de';
import { SecretKeyRef } from './types';

/** Name of the Secret holding the environment's passwords and keys. */
export const SECRET_NAME = 'sasquatch';

export interface VaultBackedSecretProps {
  /** Name of the VaultSecret and of the Kubernetes Secret the operator writes. @default 'sasquatch' */
  readonly name?: string;
  /**
   * Vault path prefix of the environment (Phalanx `vaultSecretsPath`); the secret is read from `<prefix>/<name>`.
   * @default - no VaultSecret: the Secret is created by hand (clusters without the vault-secrets-operator)
   */
  readonly vaultPathPrefix?: string;
}

/** Who reads a key: an object of the environment, as `Kind/name`. */
export type SecretReader = string;

/**
 * A Kubernetes Secret filled from Vault by the vault-secrets-operator
 * (VaultSecret, ricoberger.de/v1alpha1). Values never appear in a manifest:
 * consumers get references through `keyRef`, which also records which
 * object reads which key, so the keys Vault must hold can be listed.
 */
export class VaultBackedSecret extends Construct {
  public readonly secretName: string;
  /** Vault path the secret is read from; undefined when the Secret is created by hand. */
  public readonly vaultPath?: string;
  private readonly readers = new Map<string, Set<SecretReader>>();

  constructor(scope: Construct, id: string, props: VaultBackedSecretProps) {
    super(scope, id);
    this.secretName = props.name ?? SECRET_NAME;
    if (props.vaultPathPrefix === undefined) return;
    this.vaultPath = `${props.vaultPathPrefix.replace(/\/+$/, '')}/${this.secretName}`;
    new VaultSecret(this, 'Resource', {
      metadata: { name: this.secretName },
      spec: { path: this.vaultPath, type: 'Opaque' },
    });
  }

  /** A reference to `key`, read by `reader` (`Kind/name`). */
  public keyRef(key: string, reader: SecretReader): SecretKeyRef {
    const readers = this.readers.get(key) ?? new Set<SecretReader>();
    readers.add(reader);
    this.readers.set(key, readers);
    return { secretName: this.secretName, key };
  }

  /** Every key that must exist in Vault, sorted, with the objects that read it. */
  public get requiredKeys(): Array<{ key: string; readBy: string[] }> {
    return [...this.readers.entries()]
      .map(([key, readers]) => ({ key, readBy: [...readers].sort() }))
      .sort((a, b) => a.key.localeCompare(b.key));
  }
}
