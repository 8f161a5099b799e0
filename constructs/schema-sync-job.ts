import { Construct } from 'constructs';
import { KubeJob } from './k8s';
import { Quantity } from './k8s';
import { checkerAcceptances, restrictedContainer, restrictedPod, toK8sResources } from './pod-security';
import { SCHEMA_REGISTRY_PORT } from './schema-registry';
import { WorkloadNetworkPolicy } from './workload-network-policy';
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
  /** Labels of the schema registry's pods (egress to them on SCHEMA_REGISTRY_PORT). */
  readonly registryPodLabels: Readonly<Record<string, string>>;
}

/** How long the job waits for the registry to answer before it fails (and retries). */
const REGISTRY_WAIT_SECONDS = 300;
const SUBJECT = 'alert-packet';
const TMP_MOUNT = { name: 'tmp', mountPath: '/tmp' };
const DEFAULT_RESOURCES: Resources = {
  requests: { cpu: '100m', memory: '256Mi' },
  limits: { cpu: '1', memory: '512Mi' },
};

/**
 * Loads every alert schema into the registry under subject `alert-packet` (and the per-version
 * `lsst-alerts-v<version>-value` subjects), on every Argo CD sync. It is a PostSync hook, so nothing
 * waits on it: a job that cannot start (a bad image tag in ImagePullBackOff until its deadline) or fails
 * leaves every object of the application applied and fails only the sync's last step, where Argo CD shows
 * it. The upstream program ignores some of the registry's errors, so the job's last container asks the
 * registry for every schema the image holds, by id and by subject: a Succeeded job means the schemas are
 * there. An init container waits until the registry answers before the load starts, which also holds when
 * the manifests are applied by something other than Argo CD. Retries are bounded, and the previous run is
 * deleted before a new one.
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

    // Every schema of the image, by id and under its per-version subject, as the registry answers for it.
    const checkSchemas = [
      'import sys, urllib.request',
      'import lsst.alert.packet',
      'url, subject = sys.argv[1], sys.argv[2]',
      'registry = lsst.alert.packet.schemaRegistry.SchemaRegistry().all_schemas_from_filesystem()',
      'missing = []',
      'for version, schema_id in sorted(registry._version_to_id.items()):',
      '    for path in (f"/schemas/ids/{schema_id}", f"/subjects/lsst-alerts-v{version}-value/versions/latest"):',
      '        try:',
      '            urllib.request.urlopen(url + path, timeout=10)',
      '        except Exception as error:',
      '            missing.append(f"{path} ({error})")',
      'if not registry.known_ids:',
      '    sys.exit("the image holds no alert schema")',
      'try:',
      '    urllib.request.urlopen(f"{url}/subjects/{subject}/versions", timeout=10)',
      'except Exception as error:',
      '    missing.append(f"/subjects/{subject}/versions ({error})")',
      'if missing:',
      '    sys.exit("schemas not in the registry: " + "; ".join(missing))',
      'print(f"{len(registry.known_ids)} schemas in the registry at {url}")',
    ].join('\n');

    const podLabels = { 'app.kubernetes.io/name': 'alert-stream-schema-sync' };
    // L1: cdk8s-plus-28's Job has no pod seccompProfile, writes ephemeral storage in whole Gi (256Mi throws), and labels the pod template cdk8s.io/metadata.addr.
    new KubeJob(this, 'Resource', {
      metadata: {
        name: this.jobName,
        labels: { 'app.kubernetes.io/name': 'alert-stream-schema-sync' },
        annotations: {
          ...checkerAcceptances(),
          [ArgoCd.hook]: 'PostSync',
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
            }, {
              // Init containers run one after the other: the load, then (the main container) its check.
              name: 'sync-schema-job',
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['syncAllSchemasToRegistry'],
              args: [`--schema-registry-url=${props.registryUrl}`, `--subject=${SUBJECT}`],
              env: [{ name: 'PYTHONDONTWRITEBYTECODE', value: '1' }],
              resources,
              securityContext,
              volumeMounts: [TMP_MOUNT],
            }],
            containers: [{
              name: 'check-schemas',
              image,
              imagePullPolicy: 'IfNotPresent',
              command: ['python3', '-c', checkSchemas, props.registryUrl, SUBJECT],
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
    // It only calls the registry; nothing calls it.
    new WorkloadNetworkPolicy(this, 'NetworkPolicy', {
      name: this.jobName,
      podLabels,
      pods: [{ podLabels: props.registryPodLabels, ports: [SCHEMA_REGISTRY_PORT] }],
      ingress: 'none',
    });
  }
}
