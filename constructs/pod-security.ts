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

/** Requests and limits as the Kubernetes API spells them. */
export function toK8sResources(resources: Resources) {
  return {
    requests: { cpu: Quantity.fromString(resources.requests.cpu), memory: Quantity.fromString(resources.requests.memory) },
    limits: { cpu: Quantity.fromString(resources.limits.cpu), memory: Quantity.fromString(resources.limits.memory) },
  };
}
