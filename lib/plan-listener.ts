/**
 * The plan rule for the manual's full restart: taking the external listener
 * out disconnects every community broker until it is put back.
 */

type Obj = Record<string, any>;

export const LISTENER_RULES = {
  'external-listener-removal': 'every community broker is cut off until the listener is back. This is the full restart of DMTN-214 "Troubleshooting": ' +
    'sync with the listener taken out, wait until every broker and controller pod runs and the Kafka resource is Ready, then delete ' +
    '`takenOut: true` and sync again; Strimzi recreates the bootstrap and broker Services with the same pinned addresses.',
  'bootstrap-address-change': 'every client configures the bootstrap address (DMTN-214, "DNS Records"): a new IP or host breaks each one until its DNS record ' +
    'and its configuration follow. Publish the new DNS record first, tell the community brokers, and keep the old address until they moved.',
} as const;

const isExternal = (listener: Obj) => listener.type === 'loadbalancer' || listener.type === 'nodeport';

/** The external listener a Kafka resource publishes, if any. */
export function externalListener(kafka: Obj): Obj | undefined {
  // Stryker disable next-line ArrayDeclaration: a placeholder listener (a string) has no type, so it is not external either
  return (kafka.spec?.kafka?.listeners ?? []).find(isExternal);
}

/** `name:port (type)` of an external listener present before and gone after; undefined otherwise. */
export function externalListenerRemoval(before: Obj, after: Obj): string | undefined {
  const [o, n] = [externalListener(before), externalListener(after)];
  return o && !n ? `listener ${o.name}:${o.port} (${o.type}, ${(o.configuration?.brokers ?? []).length} brokers)` : undefined;
}

/** The address clients bootstrap from: the host (the listener's alternative names) and the IP or node port. */
export function bootstrapAddress(listener: Obj): { host?: string; ip?: string } {
  const bootstrap = listener.configuration?.bootstrap ?? {};
  const names: unknown = bootstrap.alternativeNames ?? (bootstrap.host === undefined ? undefined : [bootstrap.host]);
  const ip = bootstrap.annotations?.['metallb.io/loadBalancerIPs'] ?? bootstrap.loadBalancerIP
    ?? (bootstrap.nodePort === undefined ? undefined : `port ${bootstrap.nodePort}`);
  return { host: Array.isArray(names) ? names.join(', ') : undefined, ip };
}

/** `host ip` before and after when the external listener's bootstrap address changed; undefined otherwise. */
export function bootstrapAddressChange(before: Obj, after: Obj): { before: string; after: string } | undefined {
  const [o, n] = [externalListener(before), externalListener(after)];
  if (!o || !n) return undefined;
  const [a, b] = [bootstrapAddress(o), bootstrapAddress(n)];
  if (a.host === b.host && a.ip === b.ip) return undefined;
  const show = (x: { host?: string; ip?: string }) => `bootstrap ${x.host ?? '?'} ${x.ip ?? '?'}`;
  return { before: show(a), after: show(b) };
}
