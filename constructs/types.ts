/**
 * Value types shared by constructs and environment files. Units live in the
 * type: a bare number is never a size or a duration.
 */

/**
 * A Kubernetes CPU quantity above zero: whole cores (`'8'`, `'0.5'`) or millicores (`'500m'`).
 * @pattern ^(?=[^1-9]*[1-9])([0-9]+(\.[0-9]+)?|[0-9]+m)$
 */
export type CpuQuantity = `${number}` | `${number}m`;

/**
 * A Kubernetes memory or storage quantity above zero, in binary units (`'512Mi'`, `'35Ti'`).
 * @pattern ^(?=[^1-9]*[1-9])[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi)$
 */
export type ByteQuantity = `${number}${'Ki' | 'Mi' | 'Gi' | 'Ti' | 'Pi'}`;

// Every string and number of an environment has one of the types below (or an enum): the environment
// schema generated from them carries each format and range, so a value is refused before anything is
// built (constructs/rules/shape.ts says what each one means), and a test fails for a field that has none.

/**
 * A DNS label (RFC 1123): lowercase letters, digits and '-', at most 63 characters.
 * @pattern ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$
 */
export type DnsLabel = string;

/**
 * A Kubernetes object name (RFC 1123 subdomain): lowercase letters, digits, '-' and '.', at most 253.
 * @pattern ^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$
 */
export type ObjectName = string;

/**
 * A DNS host name: no scheme, port or path (`alerts.example.org`, `localhost`).
 * @pattern ^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$
 */
export type HostName = string;

/**
 * A dotted-quad IPv4 address (`192.0.2.10`).
 * @pattern ^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$
 */
export type Ipv4Address = string;

/**
 * The path of a URL: a leading '/', then URL path characters (`/schema-registry`).
 * @pattern ^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$
 */
export type UrlPath = string;

/**
 * An http(s) URL of a host, optionally with port and path (`https://s3.example.org`).
 * @pattern ^https?://[a-z0-9]([-a-z0-9.]*[a-z0-9])?(:[0-9]{1,5})?(/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$
 */
export type HttpUrl = string;

/**
 * A Vault path: segments of letters, digits, '_', '.' and '-' joined by '/', no leading or trailing '/'.
 * @pattern ^(?!.*(^|/)\.\.?(/|$))[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$
 */
export type VaultPath = string;

/**
 * A container image tag (`4.1.0`, `w.2026.28`), pinned by digest where known: `4.1.0@sha256:<64 hex digits>`
 * (the tag stays for people and for Renovate, which updates both).
 * @pattern ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}(@sha256:[a-f0-9]{64})?$
 */
export type ImageTag = string;

/**
 * A Kafka version, `major.minor.patch` (`4.1.0`).
 * @pattern ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$
 */
export type KafkaVersion = string;

/**
 * A Kafka metadata version, `major.minor-IVn` (`4.1-IV1`).
 * @pattern ^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)-IV(0|[1-9][0-9]*)$
 */
export type KafkaMetadataVersion = string;

/**
 * A Kafka topic name that is also a Kubernetes name once folded: letters, digits, '.', '_' and '-', starting
 * and ending with a letter or digit (so never Kafka's internal `__consumer_offsets` and the like), at most 249.
 * @pattern ^[a-zA-Z0-9]([a-zA-Z0-9._-]{0,247}[a-zA-Z0-9])?$
 */
export type TopicName = string;

/**
 * A prefix of Kafka topic names (`alert`, `lsst-`).
 * @pattern ^[a-zA-Z0-9][a-zA-Z0-9._-]{0,248}$
 */
export type TopicPrefix = string;

/**
 * A key of a Secret or ConfigMap: letters, digits, '-', '_' and '.'.
 * @pattern ^[-._a-zA-Z0-9]{1,253}$
 */
export type DataKey = string;

/**
 * A Kubernetes label key (a toleration's taint key): `[prefix/]name`.
 * @pattern ^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?){0,}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$
 */
export type LabelKey = string;

/**
 * A Kubernetes label value (a taint's value): at most 63 letters, digits, '-', '_' and '.'.
 * @pattern ^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$
 */
export type LabelValue = string;

/**
 * An S3 bucket name.
 * @pattern ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$
 */
export type BucketName = string;

/**
 * An S3 region (`us-east-1`).
 * @pattern ^[a-z0-9]+(-[a-z0-9]+)*$
 */
export type StorageRegion = string;

/**
 * A Quartz cron expression of 6 or 7 fields, as Strimzi's maintenance windows take (`0 0 8-10 ? * SUN`).
 * @pattern ^[0-9A-Za-z*?,/#-]+( [0-9A-Za-z*?,/#-]+){5,6}$
 */
export type CronExpression = string;

/**
 * Free text for the next reader, on one line.
 * @pattern ^[^\n\r]{1,200}$
 */
export type Note = string;

/**
 * An id of a Kafka node (int32, 0 or more).
 * @asType integer
 * @minimum 0
 * @maximum 2147483647
 */
export type NodeId = number;

/**
 * A count of one or more, within int32 (partitions, replicas, nodes).
 * @asType integer
 * @minimum 1
 * @maximum 2147483647
 */
export type PositiveCount = number;

/**
 * A count of zero or more, within int32.
 * @asType integer
 * @minimum 0
 * @maximum 2147483647
 */
export type Count = number;

/**
 * A Kafka replication factor or in-sync replica count (Kafka stores it as int16).
 * @asType integer
 * @minimum 1
 * @maximum 32767
 */
export type ReplicaCount = number;

/**
 * A duration in whole seconds, within int32.
 * @asType integer
 * @minimum 0
 * @maximum 2147483647
 */
export type Seconds = number;

/**
 * A Kubernetes node port.
 * @asType integer
 * @minimum 30000
 * @maximum 32767
 */
export type NodePort = number;

/**
 * A Kafka `int` setting of bytes (0 or more, within int32).
 * @asType integer
 * @minimum 0
 * @maximum 2147483647
 */
export type ByteCount = number;

/**
 * A Kafka `long` setting where -1 means unlimited (`retention.ms`, `retention.bytes`); within what a
 * JavaScript number holds exactly.
 * @asType integer
 * @minimum -1
 * @maximum 9007199254740991
 */
export type LongOrUnlimited = number;

/**
 * A Kafka `int` setting where -1 means unlimited (`log.retention.minutes`).
 * @asType integer
 * @minimum -1
 * @maximum 2147483647
 */
export type IntOrUnlimited = number;

/**
 * A Kafka `long` setting of 1 or more (`replica.lag.time.max.ms`, `segment.ms`).
 * @asType integer
 * @minimum 1
 * @maximum 9007199254740991
 */
export type PositiveLong = number;

/** CPU and memory of one container. Both requests and limits are always set. */
export interface Resources {
  readonly requests: { readonly cpu: CpuQuantity; readonly memory: ByteQuantity };
  readonly limits: { readonly cpu: CpuQuantity; readonly memory: ByteQuantity };
}

/** A Kubernetes toleration, so pods may land on tainted (dedicated) nodes. */
export interface Toleration {
  readonly key: LabelKey;
  readonly operator: 'Equal' | 'Exists';
  /** Required with `Equal`. */
  readonly value?: LabelValue;
  /** @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** A key of a Kubernetes Secret, referenced and never inlined. */
export interface SecretKeyRef {
  readonly secretName: ObjectName;
  readonly key: DataKey;
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
