/**
 * TEST CODE ONLY — a stand-in for the controllers a real cluster runs, for the Pulumi bootstrap
 * test against the test API server (which has no Strimzi operator, no controller manager and no
 * kubelet). It watches one namespace and, after a configurable delay, writes the status the real
 * controllers would write, so Pulumi's await logic has something to wait for:
 *   - Strimzi (Kafka, KafkaNodePool, KafkaTopic, KafkaUser): condition Ready=True and
 *     observedGeneration, as the cluster, topic and user operators report them;
 *   - the deployment controller: a ReplicaSet owned by each Deployment (revision 1), both with
 *     every replica ready, and the Deployment's Available / Progressing (NewReplicaSetAvailable);
 *   - the job controller: each Job Complete (one pod succeeded);
 *   - the endpoints controller: an Endpoints object for each Service with a selector (one
 *     address from TEST-NET-1, 192.0.2.0/24: documentation only, never reached).
 * The strimzi-registry-operator reports no status (its CRD has no status subresource), and
 * local-bootstrap has no VaultSecret, so neither is stood in for.
 * Every event it sees is recorded with the API server's resourceVersion, as a watch log the
 * tests read the order of creation and readiness from.
 */
import * as k8s from '@kubernetes/client-node';

export interface StandInOptions {
  readonly kubeconfigPath: string;
  readonly namespace: string;
  /** How long an object stays unready after it is created (ms). */
  readonly delayMs: number;
  /** Kinds that never become ready (e.g. `Kafka`, as when its pods cannot start). */
  readonly neverReady?: readonly string[];
  /** Single objects that never become ready, as `Kind/name` (e.g. a KafkaUser whose password is missing). */
  readonly neverReadyObjects?: readonly string[];
  /**
   * Stand in for strimzi-registry-operator too: as kopf does once its create handler succeeded, annotate
   * each StrimziSchemaRegistry with `kopf.zalando.org/last-handled-configuration`. @default false
   */
  readonly registryOperator?: boolean;
  /**
   * Node pools get a status Strimzi leaves behind when it has not reconciled their generation (or refused
   * and reverted the change): an older observedGeneration and no nodes. @default false
   */
  readonly staleNodePools?: boolean;
  /** Stand in for the ingress controller too: each Ingress gets a load-balancer address in its status. @default false */
  readonly ingressController?: boolean;
}

/** One watch event, as the API server reported it. */
export interface WatchRecord {
  readonly type: string;
  readonly kind: string;
  readonly name: string;
  /** The API server's resourceVersion of the object at this event (etcd's revision: grows with every write). */
  readonly resourceVersion: number;
  /** Whether, at this event, the object reports what Pulumi waits for. */
  readonly ready: boolean;
}

interface Watched { readonly prefix: string; readonly plural: string; readonly kind: string }

const STRIMZI: Watched[] = [
  { prefix: '/apis/kafka.strimzi.io/v1', plural: 'kafkanodepools', kind: 'KafkaNodePool' },
  { prefix: '/apis/kafka.strimzi.io/v1', plural: 'kafkas', kind: 'Kafka' },
  { prefix: '/apis/kafka.strimzi.io/v1', plural: 'kafkatopics', kind: 'KafkaTopic' },
  { prefix: '/apis/kafka.strimzi.io/v1', plural: 'kafkausers', kind: 'KafkaUser' },
];
const WATCHED: Watched[] = [
  ...STRIMZI,
  { prefix: '/apis/roundtable.lsst.codes/v1beta1', plural: 'strimzischemaregistries', kind: 'StrimziSchemaRegistry' },
  { prefix: '/api/v1', plural: 'configmaps', kind: 'ConfigMap' },
  { prefix: '/api/v1', plural: 'services', kind: 'Service' },
  { prefix: '/apis/apps/v1', plural: 'deployments', kind: 'Deployment' },
  { prefix: '/apis/batch/v1', plural: 'jobs', kind: 'Job' },
  { prefix: '/apis/networking.k8s.io/v1', plural: 'ingresses', kind: 'Ingress' },
  { prefix: '/apis/networking.k8s.io/v1', plural: 'networkpolicies', kind: 'NetworkPolicy' },
];

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
const condition = (type: string, reason: string) => ({
  type, status: 'True', reason, message: 'set by the test stand-in', lastTransitionTime: new Date().toISOString(),
});

function isReady(kind: string, obj: any): boolean {
  const conditions: any[] = obj.status?.conditions ?? [];
  const has = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (STRIMZI.some((w) => w.kind === kind)) return has('Ready');
  if (kind === 'Deployment') return has('Available');
  if (kind === 'Job') return has('Complete');
  return true;
}

export class StandInOperators {
  readonly log: WatchRecord[] = [];
  private readonly aborts: AbortController[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly handled = new Set<string>();
  private readonly errors: string[] = [];
  private readonly custom: k8s.CustomObjectsApi;
  private readonly apps: k8s.AppsV1Api;
  private readonly networking: k8s.NetworkingV1Api;
  private readonly batch: k8s.BatchV1Api;
  private readonly core: k8s.CoreV1Api;
  private stopped = false;

  private constructor(kc: k8s.KubeConfig, private readonly options: StandInOptions) {
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.apps = kc.makeApiClient(k8s.AppsV1Api);
    this.batch = kc.makeApiClient(k8s.BatchV1Api);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.networking = kc.makeApiClient(k8s.NetworkingV1Api);
  }

  static async start(options: StandInOptions): Promise<StandInOperators> {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(options.kubeconfigPath);
    const standIn = new StandInOperators(kc, options);
    for (const w of WATCHED) await standIn.watch(new k8s.Watch(kc), w);
    return standIn;
  }

  /**
   * Watches one resource, again whenever the server ends the watch (a CRD just established may
   * answer 429 at first). Resumes from the last resourceVersion seen, so no event is missed or repeated.
   */
  private async watch(watch: k8s.Watch, w: Watched, resourceVersion?: string): Promise<void> {
    const path = `${w.prefix}/namespaces/${this.options.namespace}/${w.plural}`;
    let last = resourceVersion;
    const again = () => {
      if (this.stopped) return;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.stopped) void this.watch(watch, w, last);
      }, 200);
      this.timers.add(timer);
    };
    try {
      this.aborts.push(await watch.watch(path, last ? { resourceVersion: last, allowWatchBookmarks: true } : { allowWatchBookmarks: true }, (type, obj) => {
        last = obj.metadata?.resourceVersion ?? last;
        if (type !== 'BOOKMARK') this.onEvent(w, type, obj);
      }, again));
    } catch {
      again();
    }
  }

  /** Failures of the stand-in itself (a status it could not write): a test asserts there are none. */
  get failures(): readonly string[] {
    return this.errors;
  }

  /** The records of one object, in order. */
  recordsOf(kind: string, name: string): WatchRecord[] {
    return this.log.filter((r) => r.kind === kind && r.name === name);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    for (const a of this.aborts) a.abort();
  }

  private onEvent(w: Watched, type: string, obj: any): void {
    const name: string = obj.metadata.name;
    this.log.push({ type, kind: w.kind, name, resourceVersion: Number(obj.metadata.resourceVersion), ready: isReady(w.kind, obj) });
    if (type === 'DELETED' || this.options.neverReady?.includes(w.kind) || this.options.neverReadyObjects?.includes(`${w.kind}/${name}`)) return;
    // Strimzi reconciles each generation; the rest is done once per object (a Deployment's
    // generation also moves when the stand-in sets its revision annotation).
    const key = STRIMZI.includes(w) ? `${w.kind}/${name}/${obj.metadata.generation}` : `${w.kind}/${name}`;
    if (this.handled.has(key)) return;
    if (STRIMZI.includes(w) && isReady(w.kind, obj) && obj.status?.observedGeneration === obj.metadata.generation) return;
    const act = this.reconcilerFor(w, obj);
    if (!act) return;
    this.handled.add(key);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      act().catch((error) => this.errors.push(`${w.kind} ${name}: ${error.body ?? error.message}`));
    }, this.options.delayMs);
    this.timers.add(timer);
  }

  private reconcilerFor(w: Watched, obj: any): (() => Promise<unknown>) | undefined {
    const namespace = this.options.namespace;
    const name: string = obj.metadata.name;
    if (w.kind === 'KafkaNodePool' && this.options.staleNodePools) {
      return () => this.custom.patchNamespacedCustomObjectStatus({
        group: 'kafka.strimzi.io', version: 'v1', namespace, plural: w.plural, name,
        body: { status: { observedGeneration: obj.metadata.generation - 1, nodeIds: [], replicas: 0 } },
      }, mergePatch);
    }
    if (STRIMZI.includes(w)) {
      return () => this.custom.patchNamespacedCustomObjectStatus({
        group: 'kafka.strimzi.io', version: 'v1', namespace, plural: w.plural, name,
        body: { status: { observedGeneration: obj.metadata.generation, conditions: [condition('Ready', 'Ready')] } },
      }, mergePatch);
    }
    if (w.kind === 'Deployment') return () => this.rollOut(obj);
    if (w.kind === 'Ingress' && this.options.ingressController) {
      const networking = this.networking;
      return () => networking.patchNamespacedIngressStatus({ name, namespace, body: { status: { loadBalancer: { ingress: [{ ip: '192.0.2.20' }] } } } }, mergePatch);
    }
    if (w.kind === 'StrimziSchemaRegistry' && this.options.registryOperator) {
      return () => this.custom.patchNamespacedCustomObject({
        group: 'roundtable.lsst.codes', version: 'v1beta1', namespace, plural: w.plural, name,
        body: { metadata: { annotations: { 'kopf.zalando.org/last-handled-configuration': JSON.stringify({ spec: obj.spec }) } } },
      }, mergePatch);
    }
    if (w.kind === 'Job') {
      return () => {
        const now = new Date().toISOString();
        return this.batch.patchNamespacedJobStatus({
          name, namespace, body: {
            status: {
              startTime: now, completionTime: now, succeeded: 1, ready: 0, active: 0,
              conditions: [condition('SuccessCriteriaMet', 'CompletionsReached'), condition('Complete', 'CompletionsReached')],
            },
          },
        }, mergePatch);
      };
    }
    if (w.kind === 'Service' && obj.spec?.selector) {
      return () => this.core.createNamespacedEndpoints({
        namespace, body: {
          metadata: { name, namespace, labels: obj.metadata.labels },
          subsets: [{
            addresses: [{ ip: '192.0.2.10' }],
            ports: (obj.spec.ports ?? []).map((p: any) => ({ name: p.name, port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol })),
          }],
        },
      });
    }
    return undefined;
  }

  /** What the deployment controller and the kubelet do for a new Deployment, reduced to its records. */
  private async rollOut(deployment: any): Promise<void> {
    const namespace = this.options.namespace;
    const name: string = deployment.metadata.name;
    const replicas: number = deployment.spec.replicas ?? 1;
    const revision = { 'deployment.kubernetes.io/revision': '1' };
    const annotated = await this.apps.patchNamespacedDeployment({ name, namespace, body: { metadata: { annotations: revision } } }, mergePatch);
    const rsName = `${name}-stand-in`;
    await this.apps.createNamespacedReplicaSet({
      namespace, body: {
        metadata: {
          name: rsName, namespace, annotations: revision, labels: deployment.spec.template.metadata?.labels,
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: { replicas, selector: deployment.spec.selector, template: deployment.spec.template },
      },
    });
    await this.apps.patchNamespacedReplicaSetStatus({
      name: rsName, namespace, body: { status: { replicas, readyReplicas: replicas, availableReplicas: replicas, fullyLabeledReplicas: replicas, observedGeneration: 1 } },
    }, mergePatch);
    await this.apps.patchNamespacedDeploymentStatus({
      name, namespace, body: {
        status: {
          observedGeneration: annotated.metadata?.generation, replicas, updatedReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas,
          conditions: [condition('Available', 'MinimumReplicasAvailable'), condition('Progressing', 'NewReplicaSetAvailable')],
        },
      },
    }, mergePatch);
  }
}
