import { ApplyResult, ClusterClient, ClusterError } from './cluster-client';
import { describe } from './schema-validation';
import type { FileFinding, LocatedObject } from './validate';

/** What the API server said of every object of one environment. */
export interface ServerCheck {
  readonly findings: FileFinding[];
  /** Objects the server accepted. */
  readonly accepted: number;
}

/**
 * Server-side dry run (`dryRun=All`, strict field validation) of every object, in the given
 * (stage) order: schemas, CEL rules, defaulting, admission webhooks and policies of the
 * cluster itself. Nothing is stored. Rejections are errors and warnings are warnings, in
 * the finding format of offline validation.
 */
export async function dryRunObjects(client: ClusterClient, objects: readonly LocatedObject[], ingressNamespace = DEFAULT_INGRESS_NAMESPACE): Promise<ServerCheck> {
  const findings: FileFinding[] = [];
  let accepted = 0;
  for (const { file, object } of objects) {
    // force: a dry run must not stop at a field that Argo CD or a person owns; it asks only
    // whether the server accepts the object.
    const result = await client.apply(object, { dryRun: true, force: true });
    findings.push(...resultFindings(file, object, result));
    if (!result.rejection) accepted += 1;
  }
  findings.push(...await storageClassFindings(client, objects));
  findings.push(...await snippetFindings(client, objects, ingressNamespace));
  return { findings, accepted };
}

/** Where ingress-nginx runs unless the environment says (`ingressControllerPods.namespace`). */
export const DEFAULT_INGRESS_NAMESPACE = 'ingress-nginx';
/** The controller's ConfigMap as the ingress-nginx chart names it (release `ingress-nginx`). */
export const INGRESS_NGINX_CONFIGMAP = 'ingress-nginx-controller';
const SNIPPET = 'nginx.ingress.kubernetes.io/configuration-snippet';

/**
 * An Ingress with an nginx configuration snippet (the registry's read-only limit, `limit_except GET`) works
 * only where ingress-nginx admits snippets: `allow-snippet-annotations: "true"` in its ConfigMap (false by
 * default since controller 1.9) and, from controller 1.12, `annotations-risk-level: Critical` (the snippet's
 * risk level; the default, High, rejects it). Otherwise the controller's admission webhook refuses the
 * Ingress (the dry run above reports that for a plain Ingress; a GafaelfawrIngress's is made later) or,
 * without the webhook, the controller skips it: the registry is then not published at all.
 */
export async function snippetFindings(client: ClusterClient, objects: readonly LocatedObject[], namespace: string): Promise<FileFinding[]> {
  const users: Array<{ file: string; object: string; path: string }> = [];
  const escaped = SNIPPET.replace(/~/g, '~0').replace(/\//g, '~1');
  for (const { file, object } of objects) {
    if (object.kind === 'Ingress' && object.metadata?.annotations?.[SNIPPET] !== undefined) {
      users.push({ file, object: describe(object), path: `/metadata/annotations/${escaped}` });
    } else if (object.kind === 'GafaelfawrIngress' && object.template?.metadata?.annotations?.[SNIPPET] !== undefined) {
      users.push({ file, object: describe(object), path: `/template/metadata/annotations/${escaped}` });
    }
  }
  if (users.length === 0) return [];
  let config: Record<string, any> | undefined | 'unreadable';
  try {
    config = await client.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: INGRESS_NGINX_CONFIGMAP, namespace } });
  } catch (error) {
    if (!(error instanceof ClusterError) || /did not answer|cannot reach/.test(error.message)) throw error;
    config = 'unreadable';
  }
  const where = `ConfigMap ${namespace}/${INGRESS_NGINX_CONFIGMAP}`;
  const unchecked = 'whether ingress-nginx admits the configuration snippet (the read-only limit) is unchecked';
  let severity: 'error' | 'warning';
  let message: string;
  if (config === 'unreadable') {
    [severity, message] = ['warning', `${where} could not be read (no permission to get configmaps there?): ${unchecked}`];
  } else if (config === undefined) {
    [severity, message] = ['warning', `${where} does not exist (ingress-nginx elsewhere, or named otherwise?): ${unchecked}`];
  } else if (config.data?.['allow-snippet-annotations'] !== 'true') {
    [severity, message] = ['error', `${where} does not set allow-snippet-annotations: "true": ingress-nginx refuses or ignores this snippet, and the registry is not published; set it (and annotations-risk-level: Critical from controller 1.12)`];
  } else if (config.data?.['annotations-risk-level'] !== 'Critical') {
    [severity, message] = ['warning', `${where} allows snippets but does not set annotations-risk-level: Critical: ingress-nginx 1.12 and later refuse this snippet (risk level Critical) unless it does`];
  } else {
    return [];
  }
  return users.map((u) => ({ ...u, severity, message }));
}

/**
 * The StorageClasses the node pools name: each must exist, and allow volume expansion, or the brokers'
 * storage can never grow (DMTN-214, "Resizing Kafka broker disk storage"). A pool without a class uses
 * the cluster's default, which is not looked up.
 */
export async function storageClassFindings(client: ClusterClient, objects: readonly LocatedObject[]): Promise<FileFinding[]> {
  // Where each pool names a class: the finding's place.
  const named: Array<{ file: string; object: string; path: string; storageClass: string }> = [];
  for (const { file, object } of objects) {
    if (object.kind !== 'KafkaNodePool') continue;
    const storage = object.spec?.storage ?? {};
    const volumes: Array<Record<string, any>> = storage.type === 'jbod' ? storage.volumes ?? [] : [storage];
    volumes.forEach((volume, i) => {
      if (typeof volume?.class !== 'string') return;
      named.push({ file, object: describe(object), path: storage.type === 'jbod' ? `/spec/storage/volumes/${i}/class` : '/spec/storage/class', storageClass: volume.class });
    });
  }
  // Each class read once.
  const classes = new Map<string, Record<string, any> | undefined | 'unreadable'>();
  const findings: FileFinding[] = [];
  for (const { storageClass: name, ...where } of named) {
    if (!classes.has(name)) {
      try {
        classes.set(name, await client.read({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name } }));
      } catch (error) {
        if (!(error instanceof ClusterError) || /did not answer|cannot reach/.test(error.message)) throw error;
        classes.set(name, 'unreadable');
      }
    }
    const sc = classes.get(name);
    if (sc === 'unreadable') {
      findings.push({ ...where, severity: 'warning', message: `StorageClass ${name} could not be read (no permission to get storageclasses?): whether its volumes can grow is unchecked` });
    } else if (sc === undefined) {
      findings.push({ ...where, severity: 'error', message: `StorageClass ${name} does not exist in this cluster: the pool's volumes would never be bound` });
    } else if (sc.allowVolumeExpansion !== true) {
      findings.push({ ...where, severity: 'warning', message: `StorageClass ${name} does not allow volume expansion (allowVolumeExpansion is not true): this pool's storage can never grow; a resize needs a class that allows it` });
    }
  }
  return findings;
}

/** One finding per rejection cause (or one for the whole rejection) and one per warning. */
export function resultFindings(file: string, object: Record<string, any>, result: ApplyResult): FileFinding[] {
  const name = describe(object);
  const findings: FileFinding[] = result.warnings.map((w) => ({ severity: 'warning', file, object: name, path: warningPath(w), message: `API server warning: ${w}` }));
  const rejection = result.rejection;
  if (!rejection) return findings;
  const status = rejection.reason ? `${rejection.code} ${rejection.reason}` : `HTTP ${rejection.code}`;
  const hint = rejection.code === 403 ? ' (a server-side dry run needs permission to patch this resource: ask for it, or use offline validation)' : '';
  if (rejection.causes.length === 0) {
    const { field, message } = splitFieldMessage(rejection.message);
    findings.push({ severity: 'error', file, object: name, path: field, message: `refused by the API server (${status}): ${message}${hint}` });
  }
  for (const cause of rejection.causes) {
    findings.push({ severity: 'error', file, object: name, path: cause.field ? pointer(cause.field) : '/', message: `refused by the API server (${status}): ${cause.message}${hint}` });
  }
  return findings;
}

/** `spec.template.spec.containers[0].image` (or with a leading dot) as `/spec/template/spec/containers/0/image`. */
export function pointer(field: string): string {
  const parts = field.replace(/^\./, '').replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean);
  return `/${parts.join('/')}`;
}

/** A server message that ends in `.spec.x: what is wrong` names its field; split it off. */
function splitFieldMessage(message: string): { field: string; message: string } {
  const match = /(?:^|: )(\.[A-Za-z0-9_.[\]-]+): (.+)$/s.exec(message);
  return match ? { field: pointer(match[1]), message: match[2].trim() } : { field: '/', message: message.trim() };
}

/** `unknown field "spec.foo"` and `metadata.name: this is used in Pod names…` name their field. */
function warningPath(warning: string): string {
  const match = /field "([^"]+)"/.exec(warning) ?? /^([a-z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+|\[\d+\])+): /.exec(warning);
  return match ? pointer(match[1]) : '/';
}
