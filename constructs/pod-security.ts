import { Quantity } from './k8s';
import { Resources } from './types';

/**
 * Container settings every workload of this project uses: no privilege
 * escalation, no Linux capabilities, and a read-only root filesystem unless
 * the image must write (then `readOnlyRootFilesystem: false` is passed).
 */
export function restrictedContainer(readOnlyRootFilesystem = true) {
  return { allowPrivilegeEscalation: false, readOnlyRootFilesystem, capabilities: { drop: ['ALL'] } };
}

/** Pod settings every workload uses: a fixed non-root user and the runtime's default seccomp profile. */
export function restrictedPod(uid = 1000) {
  return { runAsNonRoot: true, runAsUser: uid, runAsGroup: uid, seccompProfile: { type: 'RuntimeDefault' } };
}

/** Requests and limits as the Kubernetes API spells them, with the ephemeral storage every container gets (EPHEMERAL_STORAGE). */
export function toK8sResources(resources: Resources) {
  return {
    requests: {
      'cpu': Quantity.fromString(resources.requests.cpu),
      'memory': Quantity.fromString(resources.requests.memory),
      'ephemeral-storage': Quantity.fromString(EPHEMERAL_STORAGE.request),
    },
    limits: {
      'cpu': Quantity.fromString(resources.limits.cpu),
      'memory': Quantity.fromString(resources.limits.memory),
      'ephemeral-storage': Quantity.fromString(EPHEMERAL_STORAGE.limit),
    },
  };
}

/**
 * The restricted container context Strimzi's components get through their `template` sections: the pod
 * security standard "restricted" (no privilege escalation, no capabilities, non-root, the runtime's seccomp
 * profile) and a read-only root filesystem, which every Strimzi container supports (Strimzi mounts an
 * `emptyDir` at /tmp in each of its pods for what they write).
 */
export function strimziContainerSecurity() {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    runAsNonRoot: true,
    readOnlyRootFilesystem: true,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The pod context of a Strimzi pod. Strimzi's images run as user 1001 of group 0; a Kafka pod's persistent
 * volume is writable by that group only with `fsGroup: 0`, which Strimzi sets itself unless the template
 * replaces the pod's context (as it does here), so the Kafka pools pass `kafkaVolumes`.
 */
export function strimziPodSecurity(kafkaVolumes = false) {
  return {
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    ...(kafkaVolumes ? { fsGroup: 0 } : {}),
  };
}

/** Ephemeral storage of each container: its logs and writable layer, and the /tmp `emptyDir` (at most `tmpSize`). */
export const EPHEMERAL_STORAGE = { request: '256Mi', limit: '1Gi' } as const;

/**
 * The checker findings this project accepts, in one reviewed place, each with its reason: kube-score's own
 * `kube-score/ignore` annotation (at most three tests in all) and checkov's `checkov.io/skip-<id>` annotations.
 * Every other finding fails CI (scripts/checkers.sh).
 */
export const ACCEPTED_KUBE_SCORE: Readonly<Record<string, string>> = {
  'container-image-pull-policy': 'the images are public, so the check\'s concern (a pod using a node\'s cached private image without its pull secret) does not arise; they are pinned, so IfNotPresent cannot start a different image',
  'container-security-context-user-group-id': 'the pods run as the images\' own non-root user (UID/GID 1000) with runAsNonRoot, no privilege escalation and no capabilities; a UID above 10000 only avoids clashing with host users, which the restricted context already isolates',
};

/** checkov's checks the workloads accept, by id, with the reason (annotation `checkov.io/skip-<id>: <id>=<reason>`). */
export const ACCEPTED_CHECKOV: Readonly<Record<string, string>> = {
  CKV_K8S_15: 'image pull policy IfNotPresent: images are pinned (same reason as kube-score container-image-pull-policy)',
  CKV_K8S_40: 'UID 1000 is the image user (same reason as kube-score container-security-context-user-group-id)',
};

/**
 * Annotations accepting the findings listed, for the object's metadata: kube-score's ignore list (with one
 * `kube-score.alert-stream.lsst.io/<test>` annotation giving each reason) and checkov's skips.
 */
export function checkerAcceptances(checkov: Readonly<Record<string, string>> = ACCEPTED_CHECKOV,
  kubeScore: Readonly<Record<string, string>> = ACCEPTED_KUBE_SCORE): Record<string, string> {
  const annotations: Record<string, string> = {};
  const tests = Object.keys(kubeScore);
  if (tests.length > 0) annotations['kube-score/ignore'] = tests.join(',');
  for (const test of tests) annotations[`kube-score.alert-stream.lsst.io/${test}`] = kubeScore[test];
  for (const [id, reason] of Object.entries(checkov)) annotations[`checkov.io/skip-${id}`] = `${id}=${reason}`;
  return annotations;
}
