import { environments } from '../../lib/environments';

/**
 * The environments the data-plane tier runs: those that serve real users with passwords from Vault (the Phalanx
 * ones: both USDF environments today), from the registry, so a new one is in the tier without an edit.
 * (scripts/dataplane-tools.cjs finds the same ones in dist/ by their VaultSecret.)
 */
export const DATAPLANE_ENVIRONMENTS = (Object.keys(environments) as Array<keyof typeof environments>)
  .filter((name) => environments[name].vaultPathPrefix !== undefined);
