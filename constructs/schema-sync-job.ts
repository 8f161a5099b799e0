import { Construct } from 'constructs';
import { KubeJob } from './k8s';
import { Quantity } from './k8s';
import { restrictedContainer, restrictedPod, toK8sResources } from './pod-security';
import { ArgoCd, Resources } from './types';
import type { ImageTag } from './types';

/** The operator's decisions for the schema sync job. */
export interface SchemaSyncOptions {
  /** Tag of `lsstdm/lsst_alert_packet`, the image holding every alert schema (e.g. `w.2026.28`). */
  readonly imageTag: ImageTag;
  /** @default - 100m CPU / 256Mi requested, 1 CPU / 512Mi limit */
  readonly resources?: Resources;
}

export interface SchemaSyncJobProps extends SchemaSyncOptions {
  /** Registry URL from the job's namespace (`SchemaRegistry.url`). */
  readonly registryUrl: string;
}

/** How long the job waits for the registry to answer before it fails (and retries). */
const REGISTRY_WAIT_SECONDS = 300;
const TMP_MOUNT = { name: 'tmp', mountPath: '/tmp' };
const DEFAULT_RESOURCES: Resources = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '512Mi' },
};

/**
 * Loads every alert schema into the registry under subject `alert-packet`,
 * on every Argo CD sync. It is a Sync hook in its own wave, right after the
 * registry and its ingress and before the services: a PostSync hook would
 * wait until every object of the application is Healthy, so one broken
 * service would keep the schemas out and community brokers could not decode
 * alerts. It cannot race the registry either: an init container waits until
 * the registry answers before the load starts, which also holds when the
 * manifests are applied by something other than Argo CD. Retries are
 * bounded, and the previous run is deleted before a new one.
 */
export class SchemaSyncJob extends Construct {
  public readonly jobName = 'sasquatch-sync-schema';

  constructor(scope: Construct, id: string, props: SchemaSyncJobProps) {
    super(scope, id);
    const image = `lsstdm/lsst_alert_packet:${props.imageTag}`;
    const resources = toK8sResources(props.resources ?? DEFAULT_RESOURCES);
    const securityContext = restrictedContainer();
    const waitForRegistry = [
      'import sys, time, urllib.request',
      `url, deadline = sys.argv[1] + "/config", time.time() + ${REGISTRY_WAIT_SECONDS}`,
      'while True:',
      '    try:',
      '        urllib.request.urlopen(url, timeout=5); break',
      '    except Exception as error:',
      '        if time.time() > deadline: sys.exit(f"schema registry {url} not ready: {error}")',
      '        time.sleep(5)',
    ].join('\n');

    new KubeJob(this, 'Resource', {
      metadata: {
        name: this.jobName,
        labels: { 'app.kubernetes.io/name': 'alert-stream-schema-sync' },
        annotations: {
          [ArgoCd.hook]: 'Sync',
          [ArgoCd.hookDeletePolicy]: 'BeforeHookCreation',
        },
      },
      spec: {
        backoffLimit: 3,
        activeDeadlineSeconds: 1800,
        template: {
          metadata: {
            labels: { 'app.kubernetes.io/name': 'alert-stream-schema-sync' },
            annotations: { description: 'Load schemas into registry.' },
          },
          spec: {
            restartPolicy: 'Never',
            automountServiceAccountToken: false,
            securityContext: restrictedPod(),
            initContainers: [{
              name: 'wait-for-registry',
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['python3', '-c', waitForRegistry, props.registryUrl],
              resources,
              securityContext,
              volumeMounts: [TMP_MOUNT],
            }],
            containers: [{
              name: 'sync-schema-job',
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['syncAllSchemasToRegistry'],
              args: [`--schema-registry-url=${props.registryUrl}`, '--subject=alert-packet'],
              env: [{ name: 'PYTHONDONTWRITEBYTECODE', value: '1' }],
              resources,
              securityContext,
              volumeMounts: [TMP_MOUNT],
            }],
            // The root filesystem is read-only; Python and its libraries write temporary files here.
            volumes: [{ name: 'tmp', emptyDir: { sizeLimit: Quantity.fromString('256Mi') } }],
          },
        },
      },
    });
  }
}

