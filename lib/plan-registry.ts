/**
 * The plan rule for changes strimzi-registry-operator never applies. Kept
 * apart from lib/plan.ts: it is about an operator's behaviour, not about data.
 */

type Obj = Record<string, any>;

export const REGISTRY_RULES = {
  'registry-recreate': 'strimzi-registry-operator 0.7.1 acts only when a StrimziSchemaRegistry is created: Argo CD will report this change synced while ' +
    "the registry's Deployment keeps running as before. To apply it, after the sync: `kubectl -n <namespace> delete strimzischemaregistry <name>` " +
    '(its Deployment and Service are owned by it and go with it), then sync again: the operator creates them from the new spec. ' +
    'The schemas live in the Kafka topic `registry-schemas` (spec.registryTopic), so the new registry reads every one back; ' +
    'nothing is lost, and the registry is unavailable only until its new pods are ready (run it outside an alert burst).',
} as const;

const show = (value: unknown) => (value === undefined ? '(unset)' : typeof value === 'string' ? value : JSON.stringify(value));

/**
 * The spec fields of a StrimziSchemaRegistry that differ, as `field value`
 * lists before and after; undefined when the spec is the same.
 */
export function registrySpecChange(before: Obj, after: Obj): { before: string; after: string } | undefined {
  const [o, n] = [before.spec ?? {}, after.spec ?? {}];
  const fields = [...new Set([...Object.keys(o), ...Object.keys(n)])].filter((k) => JSON.stringify(o[k]) !== JSON.stringify(n[k])).sort();
  if (fields.length === 0) return undefined;
  return {
    before: fields.map((k) => `${k} ${show(o[k])}`).join(', '),
    after: fields.map((k) => `${k} ${show(n[k])}`).join(', '),
  };
}
