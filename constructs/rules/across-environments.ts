import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/** What one environment claims that no other may: addresses on a MetalLB pool, host names, a Vault path. */
function claims(env: Environment): Array<{ key: string; field: string; what: string }> {
  const out: Array<{ key: string; field: string; what: string }> = [];
  // Any type of listener: a nodeport listener has no bootstrap and no broker ip or host (its schema is closed).
  const listener = env.externalListener as unknown as Record<string, any>;
  // Stryker disable next-line ArrayDeclaration: a placeholder broker has no ip or host to claim
  const brokers: unknown[] = listener?.brokers ?? [];
  const pinned = [['externalListener.bootstrap', listener?.bootstrap], ...brokers.map((b, i) => [`externalListener.brokers[${i}]`, b])];
  for (const [field, entry] of pinned as Array<[string, Record<string, string> | undefined]>) {
    if (entry?.ip) out.push({ key: `ip ${listener.addressPool}/${entry.ip}`, field: `${field}.ip`, what: `IP ${entry.ip} of MetalLB pool ${listener.addressPool}` });
    if (entry?.host) out.push({ key: `host ${entry.host}`, field: `${field}.host`, what: `host ${entry.host}` });
  }
  if (env.schemaRegistry?.ingress?.host) out.push({ key: `host ${env.schemaRegistry.ingress.host}`, field: 'schemaRegistry.ingress.host', what: `host ${env.schemaRegistry.ingress.host}` });
  // One name space for every host an environment publishes: a web host of one is a broker host of no other.
  if (env.host) out.push({ key: `host ${env.host}`, field: 'host', what: `host ${env.host}` });
  if (env.vaultPathPrefix) out.push({ key: `vault ${env.vaultPathPrefix}`, field: 'vaultPathPrefix', what: `Vault path ${env.vaultPathPrefix}` });
  return out;
}

/**
 * No two environments share an IP of one MetalLB pool, a host name (web, registry, bootstrap or broker host,
 * whichever field each uses it in) or a Vault path (a copied file that kept them would take over the other's
 * addresses and secrets), unless one declares that it `replaces` the other. Each entry of `envs` is one
 * environment file, compared with every other entry, whatever names they claim.
 */
export function checkAcrossEnvironments(envs: readonly Environment[]): Problem[] {
  const problems: Problem[] = [];
  const owner = new Map<string, Environment>();
  for (const env of envs) {
    const mine = new Set<string>();
    for (const claim of claims(env)) {
      const other = owner.get(claim.key);
      if (other && !mine.has(claim.key) && env.replaces !== other.name && other.replaces !== env.name) {
        problems.push({
          env: env.name, resource: 'Environment', field: claim.field,
          message: `${claim.what} is also environment ${other.name}'s; give this environment its own, or declare \`replaces: '${other.name}'\` if it takes over from it`,
        });
      } else if (!other) {
        owner.set(claim.key, env);
        mine.add(claim.key);
      }
    }
  }
  return problems;
}
