/** A changed field at its dotted path (`spec.template.spec.containers[0].image`); see `fieldChanges`. */
interface ChangedField {
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** An immutable field (`spec.selector`) and the changes under it. */
export interface ImmutableFieldChange<C extends ChangedField = ChangedField> {
  readonly field: string;
  readonly changes: readonly C[];
}

/** Where the API server refuses a change on update, per kind. */
interface ImmutableFields {
  /** Fields that may never change once the object exists. */
  readonly fields?: readonly string[];
  /** Everything in `spec` may not change, except these fields. */
  readonly specExcept?: readonly string[];
  /** Fields the server fills in when left out: only setting them to another value is refused. */
  readonly allocated?: readonly string[];
}

/**
 * The update validation of kube-apiserver 1.34 (pkg/apis/<group>/validation): a change to one
 * of these fields is refused with "field is immutable" or "Forbidden: updates to ... are forbidden".
 */
const IMMUTABLE: Readonly<Record<string, ImmutableFields>> = {
  Deployment: { fields: ['spec.selector'] },
  ReplicaSet: { fields: ['spec.selector'] },
  DaemonSet: { fields: ['spec.selector'] },
  StatefulSet: { specExcept: ['spec.replicas', 'spec.ordinals', 'spec.template', 'spec.updateStrategy', 'spec.revisionHistoryLimit', 'spec.persistentVolumeClaimRetentionPolicy', 'spec.minReadySeconds'] },
  Job: { fields: ['spec.selector', 'spec.template', 'spec.completionMode', 'spec.podFailurePolicy', 'spec.backoffLimitPerIndex', 'spec.managedBy', 'spec.successPolicy'] },
  Service: { allocated: ['spec.clusterIP', 'spec.clusterIPs'] },
  PersistentVolumeClaim: { specExcept: ['spec.resources.requests', 'spec.volumeAttributesClassName'] },
  RoleBinding: { fields: ['roleRef'] },
  ClusterRoleBinding: { fields: ['roleRef'] },
};

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);

/**
 * Argo CD deletes a hook whose delete policy is BeforeHookCreation before it creates the new
 * one, so the server never sees an update of it.
 */
function recreatedByArgoCd(object: Record<string, any>): boolean {
  const annotations = object.metadata?.annotations ?? {};
  if (!annotations['argocd.argoproj.io/hook']) return false;
  const policies: unknown = annotations['argocd.argoproj.io/hook-delete-policy'];
  return typeof policies === 'string' && policies.split(',').map((p) => p.trim()).includes('BeforeHookCreation');
}

/**
 * The changes of an update that the API server would refuse, grouped by the immutable field
 * they fall under (`spec.selector`, `spec.template`, `spec.volumeClaimTemplates`, …), in order
 * of appearance.
 */
export function immutableFieldChanges<C extends ChangedField>(before: Record<string, any>, after: Record<string, any>, changes: readonly C[]): ImmutableFieldChange<C>[] {
  if (recreatedByArgoCd(after)) return [];
  const rules: ImmutableFields = { ...IMMUTABLE[String(before.kind)] };
  // Stryker disable next-line ArrayDeclaration: no change path is named like Stryker's placeholder field
  const kindFields = rules.fields ?? [];
  // An immutable ConfigMap or Secret keeps its data for good (only deletion helps).
  const fields = before.immutable === true && (before.kind === 'ConfigMap' || before.kind === 'Secret')
    ? [...kindFields, 'data', 'binaryData', 'stringData', 'immutable']
    : kindFields;
  const found = new Map<string, C[]>();
  const add = (field: string, change: C) => found.set(field, [...(found.get(field) ?? []), change]);
  for (const change of changes) {
    const field = fields.find((f) => under(change.path, f));
    if (field) add(field, change);
    // Stryker disable next-line ArrayDeclaration: no change path is named like Stryker's placeholder field
    const allocated = (rules.allocated ?? []).find((f) => under(change.path, f));
    if (allocated && change.after !== undefined && change.after !== '') add(allocated, change);
    if (rules.specExcept && under(change.path, 'spec') && !rules.specExcept.some((f) => under(change.path, f))) {
      add(change.path.split(/[.[]/).slice(0, 2).join('.'), change);
    }
  }
  return [...found].map(([field, fieldChanges]) => ({ field, changes: fieldChanges }));
}
