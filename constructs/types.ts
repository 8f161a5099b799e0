/**
 * Value types shared by constructs and environment files. Units live in the
 * type: a bare number is never a size or a duration.
 */

/**
 * A Kubernetes CPU quantity: whole cores (`'8'`) or millicores (`'500m'`).
 * @pattern ^([0-9]+(\.[0-9]+)?|[0-9]+m)$
 */
export type CpuQuantity = `${number}` | `${number}m`;

/**
 * A Kubernetes memory or storage quantity in binary units (`'512Mi'`, `'35Ti'`).
 * @pattern ^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi)$
 */
export type ByteQuantity = `${number}${'Ki' | 'Mi' | 'Gi' | 'Ti' | 'Pi'}`;

/** CPU and memory of one container. Both requests and limits are always set. */
export interface Resources {
  readonly requests: { readonly cpu: CpuQuantity; readonly memory: ByteQuantity };
  readonly limits: { readonly cpu: CpuQuantity; readonly memory: ByteQuantity };
}

/** A Kubernetes toleration, so pods may land on tainted (dedicated) nodes. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Equal' | 'Exists';
  /** Required with `Equal`. */
  readonly value?: string;
  /** @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** A key of a Kubernetes Secret, referenced and never inlined. */
export interface SecretKeyRef {
  readonly secretName: string;
  readonly key: string;
}

/** `metadata.annotations` Argo CD reads. */
export const ArgoCd = {
  syncWave: 'argocd.argoproj.io/sync-wave',
  syncOptions: 'argocd.argoproj.io/sync-options',
  compareOptions: 'argocd.argoproj.io/compare-options',
  hook: 'argocd.argoproj.io/hook',
  hookDeletePolicy: 'argocd.argoproj.io/hook-delete-policy',
} as const;

/** The label Strimzi uses to tie a node pool, topic or user to its Kafka cluster. */
export const STRIMZI_CLUSTER_LABEL = 'strimzi.io/cluster';

/**
 * Labels that select a workload's pods. Kept as Phalanx sets them: a
 * Deployment's selector cannot change, so Argo CD can only take over the
 * running Deployments if these stay the same.
 */
export function selectorLabels(name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'sasquatch' };
}
