import { Construct } from 'constructs';
import { AlertArchiveStorage, s3Environment } from './alert-archive-storage';
import { IntOrString } from './k8s';
import { ServiceAccount } from './plus';
import { IngressControllerPods, IngressOnlyPolicy } from './ingress-only-policy';
import { RestrictedDeployment } from './restricted-deployment';
import { WorkloadNetworkPolicy } from './workload-network-policy';
import type { Resources } from './types';
import type { VaultBackedSecret } from './vault-secret';
import { IngressController, WebIngress } from './web-ingress';
import type { ImageTag, ObjectName, UrlPath } from './types';

/** The operator's decisions for the archive server. */
export interface AlertArchiveServerOptions {
  /** Tag of `lsstdm/alert_database_server`. */
  readonly imageTag: ImageTag;
  /** @default 'alertdb-reader' */
  readonly serviceAccountName?: ObjectName;
  /** URL path prefix on the environment host. @default '/v1' */
  readonly path?: UrlPath;
  /** @default - 100m CPU / 256Mi requested, 1 CPU / 1Gi limit */
  readonly resources?: Resources;
}

export interface AlertArchiveServerProps extends AlertArchiveServerOptions {
  readonly storage: AlertArchiveStorage;
  /** The Secret holding the S3 keys. */
  readonly secret: VaultBackedSecret;
  /** The environment's host name. */
  readonly host: string;
  readonly ingressController: IngressController;
  /** The ingress controller's pods, the only ones let in. */
  readonly ingressControllerPods: IngressControllerPods;
}

const NAME = 'alert-database-server-1.0.0';
const SERVICE = 'sasquatch-alert-database';
const PORT = 3000;
const DEFAULT_RESOURCES: Resources = { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } };

/**
 * The alert archive's HTTP server (FastAPI, reads S3), its Service and its
 * ingress, for holders of the `read:alertdb` scope. The manual says archive
 * access has moved to Herald; this stays optional until that service is live.
 */
export class AlertArchiveServer extends Construct {
  public readonly serviceName = SERVICE;

  constructor(scope: Construct, id: string, props: AlertArchiveServerProps) {
    super(scope, id);
    const serviceAccountName = props.serviceAccountName ?? 'alertdb-reader';
    // Ready when it answers its health check; alive while it accepts connections, so a slow answer (S3 slow to
    // respond) takes it out of the Service without restarting it.
    const health = { httpGet: { path: '/v1/health', port: IntOrString.fromString('http') } };
    const accepting = { tcpSocket: { port: IntOrString.fromString('http') }, periodSeconds: 20, failureThreshold: 6 };

    new ServiceAccount(this, 'ServiceAccount', { metadata: { name: serviceAccountName }, automountToken: false });
    const deployment = new RestrictedDeployment(this, 'Deployment', {
      name: NAME,
      replicas: 1,
      serviceAccountName,
      resources: props.resources ?? DEFAULT_RESOURCES,
      acceptedCheckov: { CKV_K8S_35: 'the S3 keys are environment variables because the server reads them only from its environment (boto3)' },
      container: {
        name: 'alert-database-server',
        image: `lsstdm/alert_database_server:${props.imageTag}`,
        imagePullPolicy: 'IfNotPresent', // a pinned tag never changes: no pull on every start
        command: ['alertdb'],
        args: [
          '--listen-host=0.0.0.0',
          `--listen-port=${PORT}`,
          '--backend=s3-remote',
          `--endpoint-url=${props.storage.endpointUrl}`,
          `--bucket-alerts=${props.storage.alertBucket}`,
          `--bucket-schemas=${props.storage.schemaBucket}`,
          '--verbose',
        ],
        env: s3Environment(props.storage, props.secret, `Deployment/${NAME}`),
        ports: [{ name: 'http', containerPort: PORT, protocol: 'TCP' }],
        livenessProbe: accepting,
        readinessProbe: health,
      },
    });
    deployment.exposeHttp(SERVICE, PORT);
    // The server checks no scope itself: Gafaelfawr does, at the ingress, so only the ingress controller may call it.
    new IngressOnlyPolicy(this, 'NetworkPolicy', {
      name: SERVICE, podLabels: deployment.podLabels, port: PORT, ingressController: props.ingressControllerPods,
    });
    new WorkloadNetworkPolicy(this, 'Egress', { name: SERVICE, podLabels: deployment.podLabels, externalUrl: props.storage.endpointUrl, ingress: 'own' });
    const base = (props.path ?? '/v1').replace(/\/+$/, '');
    new WebIngress(this, 'Ingress', {
      name: SERVICE,
      controller: props.ingressController,
      host: props.host,
      path: `${base}(/|$)(.*)`,
      pathType: 'ImplementationSpecific',
      backend: { serviceName: SERVICE, port: 'http' },
      access: { scopes: ['read:alertdb'], service: 'alert-stream-broker' },
      annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
    });
  }
}
