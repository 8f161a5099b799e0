/**
 * The plan rule for the manual's full restart: taking the external listener
 * out disconnects every community broker until it is put back.
 */

type Obj = Record<string, any>;

export const LISTENER_RULES = {
  'external-listener-removal': 'every community broker is cut off until the listener is back. This is the full restart of DMTN-214 "Troubleshooting": ' +
    'sync with the listener taken out, wait until every broker and controller pod runs and the Kafka resource is Ready, then delete ' +
    '`takenOut: true` and sync again; Strimzi recreates the bootstrap and broker Services with the same pinned addresses.',
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
