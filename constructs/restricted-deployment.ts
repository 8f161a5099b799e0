import { Construct } from 'constructs';
import { Container, IntOrString, KubeDeployment, KubeService, Quantity, Volume } from './k8s';
import { ACCEPTED_CHECKOV, checkerAcceptances, restrictedContainer, restrictedPod, toK8sResources } from './pod-security';
import { ByteQuantity, Resources, selectorLabels } from './types';

export interface RestrictedDeploymentProps {
  /** Name of the Deployment; also its selector label (`app.kubernetes.io/name`). */
  readonly name: string;
  /** @default - none: the replica count is owned by an autoscaler */
  readonly replicas?: number;
  /** @default - the namespace's default account */
  readonly serviceAccountName?: string;
  readonly terminationGracePeriodSeconds?: number;
  /** The one container, without resources, security context or the /tmp mount: those are set here. */
  readonly container: Omit<Container, 'resources' | 'securityContext'>;
  readonly resources: Resources;
  /** Volumes besides /tmp. */
  readonly volumes?: readonly Volume[];
  /** Size of the writable /tmp (within the container's ephemeral-storage limit, EPHEMERAL_STORAGE). @default '256Mi' */
  readonly tmpSize?: ByteQuantity;
  /** checkov findings this workload accepts besides ACCEPTED_CHECKOV, by check id, each with its reason. @default - none */
  readonly acceptedCheckov?: Readonly<Record<string, string>>;
}

/**
 * A one-container Deployment under this project's pod policy: a fixed
 * non-root user, the runtime's seccomp profile, no service-account token, no
 * privilege escalation, no capabilities, a read-only root filesystem with an
 * `emptyDir` at /tmp, and requests and limits always set.
 */
export class RestrictedDeployment extends Construct {
  /** Labels of its pods (its selector). */
  public readonly podLabels: Readonly<Record<string, string>>;
  private readonly labels: Record<string, string>;

  constructor(scope: Construct, id: string, props: RestrictedDeploymentProps) {
    super(scope, id);
    const labels = selectorLabels(props.name);
    this.labels = labels;
    this.podLabels = labels;
    // L1: cdk8s-plus-28's Deployment has no pod seccompProfile, writes ephemeral storage in whole Gi (256Mi throws), probe ports as numbers, and labels every pod cdk8s.io/metadata.addr.
    new KubeDeployment(this, 'Resource', {
      metadata: { name: props.name, labels, annotations: checkerAcceptances({ ...ACCEPTED_CHECKOV, ...props.acceptedCheckov }) },
      spec: {
        replicas: props.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
            securityContext: restrictedPod(),
            containers: [{
              ...props.container,
              resources: toK8sResources(props.resources),
              securityContext: restrictedContainer(),
              volumeMounts: [...(props.container.volumeMounts ?? []), { name: 'tmp', mountPath: '/tmp' }],
            }],
            volumes: [...(props.volumes ?? []), { name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString(props.tmpSize ?? '256Mi') } }],
          },
        },
      },
    });
  }

  /** A ClusterIP Service sending `port` to the container port named `http`. */
  public exposeHttp(serviceName: string, port: number): void {
    // L1: cdk8s-plus-28's Service takes a targetPort number only; this one is the container port named 'http'.
    new KubeService(this, 'Service', {
      metadata: { name: serviceName },
      spec: {
        type: 'ClusterIP',
        selector: { ...this.labels },
        ports: [{ name: 'http', port, targetPort: IntOrString.fromString('http'), protocol: 'TCP' }],
      },
    });
  }
}
