import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeConfig, KubernetesObject, RequestContext, ResponseContext } from '@kubernetes/client-node';

type ClientNode = typeof import('@kubernetes/client-node');

/**
 * The client library is loaded on first use: it is large, and only `validate --server` and the
 * cluster tests need it. The bundle leaves it out; it is an ES module, which Node >= 20.19
 * loads with require().
 */
function loadClientNode(): ClientNode {
  return require('@kubernetes/client-node') as ClientNode;
}

/** The field manager of every apply: how the API server names this tool in `managedFields`. */
export const FIELD_MANAGER = 'alert-stream-deploy';

/** Which cluster to talk to: a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config) and a context in it. */
export interface ClusterTarget {
  readonly kubeconfig?: string;
  readonly context?: string;
}

/** The cluster cannot be used at all (no kubeconfig, unreachable, credentials refused): one line for the user. */
export class ClusterError extends Error {}

/** A cause of a rejection, as the API server lists it in its Status. */
export interface RejectionCause {
  /** `spec.template.spec.containers[0].image`, when the server names the field. */
  readonly field?: string;
  readonly message: string;
}

/** The API server's answer to one apply. */
export interface ApplyResult {
  /** The object as the server returned it (defaulted, with managedFields); absent when refused. */
  readonly applied?: Record<string, any>;
  /** Why the server refused it: HTTP status, Status reason ('' when it gives none) and message, and the causes it lists. */
  readonly rejection?: { readonly code: number; readonly reason: string; readonly message: string; readonly causes: readonly RejectionCause[] };
  /** The texts of the response's `Warning` headers (deprecations, unknown fields under Warn, …). */
  readonly warnings: readonly string[];
}

export interface ApplyOptions {
  /** `dryRun=All`: every admission step runs, nothing is stored. */
  readonly dryRun: boolean;
  /** Take over fields that another manager (e.g. Argo CD) owns, instead of a conflict. */
  readonly force?: boolean;
}

/** The object API's discovery (kind to resource path), which KubernetesObjectApi keeps protected. */
function resourcePaths(k8s: ClientNode, config: KubeConfig): (object: KubernetesObject) => Promise<string> {
  class ResourcePaths extends k8s.KubernetesObjectApi {
    public path(object: KubernetesObject): Promise<string> {
      return this.specUriPath({ ...object, metadata: { ...object.metadata } }, 'patch');
    }
  }
  const api = config.makeApiClient(ResourcePaths);
  return (object) => api.path(object);
}

/**
 * Server-side apply through @kubernetes/client-node: the kubeconfig's server, TLS and credentials
 * (tokens, client certificates, exec plugins), the client's discovery and its HTTP library.
 * The request body is the object exactly as written: the client's typed serializer would drop
 * fields it does not know, which are exactly what strict field validation must see.
 */
export class ClusterClient {
  private readonly http: InstanceType<ClientNode['IsomorphicFetchHttpLibrary']>;
  private readonly server: InstanceType<ClientNode['ServerConfiguration']>;
  private readonly resourcePath: (object: KubernetesObject) => Promise<string>;

  private constructor(private readonly k8s: ClientNode, private readonly config: KubeConfig, public readonly context: string, public readonly serverUrl: string) {
    this.http = new k8s.IsomorphicFetchHttpLibrary();
    this.server = new k8s.ServerConfiguration(serverUrl, {});
    this.resourcePath = resourcePaths(k8s, config);
  }

  /** Reads the kubeconfig and picks the context; throws ClusterError naming what is missing. */
  static async connect(target: ClusterTarget = {}): Promise<ClusterClient> {
    const k8s = loadClientNode();
    const config = new k8s.KubeConfig();
    const file = target.kubeconfig ?? process.env.KUBECONFIG;
    const home = path.join(os.homedir(), '.kube', 'config');
    try {
      if (target.kubeconfig) config.loadFromFile(target.kubeconfig);
      // $KUBECONFIG may list several files: the client merges them as kubectl does.
      else if (file) config.loadFromDefault();
      else if (fs.existsSync(home)) config.loadFromFile(home);
      else throw new ClusterError('no kubeconfig: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config');
    } catch (error) {
      if (error instanceof ClusterError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      throw new ClusterError(`cannot read the kubeconfig ${file ?? home}: ${code ?? `not a kubeconfig (${(error as Error).message})`}`);
    }
    if (target.context) {
      if (!config.getContextObject(target.context)) {
        throw new ClusterError(`the kubeconfig has no context '${target.context}'; its contexts: ${config.getContexts().map((c) => c.name).join(', ') || '(none)'}`);
      }
      config.setCurrentContext(target.context);
    }
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new ClusterError(`the kubeconfig's current context '${config.getCurrentContext()}' names no cluster; pass --context NAME`);
    return new ClusterClient(k8s, config, config.getCurrentContext(), cluster.server);
  }

  /** Asks the server its version: proves it is reachable and accepts the credentials. */
  async version(): Promise<string> {
    const response = await this.send(this.request('/version', 'GET'));
    const body = await response.body.text();
    if (response.httpStatusCode === 401) {
      throw new ClusterError(`${this.where()} refused the credentials (401 Unauthorized): log in again or pick another --context`);
    }
    if (response.httpStatusCode !== 200) throw new ClusterError(`${this.where()} answered /version with HTTP ${response.httpStatusCode}: ${body.slice(0, 200)}`);
    return JSON.parse(body).gitVersion;
  }

  /** Server-side apply of one object with strict field validation. */
  async apply(object: Record<string, any>, options: ApplyOptions): Promise<ApplyResult> {
    let resourcePath: string;
    try {
      resourcePath = await this.resourcePath(object as KubernetesObject);
    } catch (error) {
      return { warnings: [], rejection: discoveryRejection(object, error) };
    }
    const request = this.request(resourcePath, 'PATCH');
    request.setHeaderParam('Content-Type', 'application/apply-patch+yaml');
    request.setQueryParam('fieldManager', FIELD_MANAGER);
    request.setQueryParam('fieldValidation', 'Strict');
    if (options.dryRun) request.setQueryParam('dryRun', 'All');
    if (options.force) request.setQueryParam('force', 'true');
    // JSON is YAML: the apply body is the object as synthesized, untouched.
    request.setBody(JSON.stringify(object));
    const response = await this.send(request);
    const body = await response.body.text();
    const warnings = parseWarnings(response.headers.warning);
    if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) return { applied: JSON.parse(body), warnings };
    return { warnings, rejection: statusRejection(response.httpStatusCode, body) };
  }

  /** Whether the cluster serves the object's apiVersion and kind (its CRD is installed and discovered). */
  async serves(object: Record<string, any>): Promise<boolean> {
    try {
      await this.resourcePath(object as KubernetesObject);
      return true;
    } catch (error) {
      discoveryRejection(object, error);
      return false;
    }
  }

  /** Reads an object back (for resourceVersion and defaulted fields); undefined when it does not exist. */
  async read(object: Record<string, any>): Promise<Record<string, any> | undefined> {
    const response = await this.send(this.request(await this.resourcePath(object as KubernetesObject), 'GET'));
    const body = await response.body.text();
    if (response.httpStatusCode === 404) return undefined;
    if (response.httpStatusCode !== 200) throw new ClusterError(`${this.where()}: reading ${object.kind}/${object.metadata?.name}: HTTP ${response.httpStatusCode}: ${body.slice(0, 200)}`);
    return JSON.parse(body);
  }

  private request(resourcePath: string, method: 'GET' | 'PATCH'): RequestContext {
    const request = this.server.makeRequestContext(resourcePath, this.k8s.HttpMethod[method]);
    request.setHeaderParam('Accept', 'application/json');
    return request;
  }

  private async send(request: RequestContext): Promise<ResponseContext> {
    await this.config.applySecurityAuthentication(request);
    try {
      return await this.http.send(request).toPromise();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new ClusterError(`cannot reach ${this.where()}: ${code ?? (error as Error).message}`);
    }
  }

  private where(): string {
    return `the cluster of context '${this.context}' at ${this.serverUrl}`;
  }
}

/**
 * `Warning: 299 - "text"` headers (RFC 7234), several joined by ", " in one value.
 * Quoted texts may hold escaped quotes and commas.
 */
export function parseWarnings(header: string | undefined): string[] {
  if (!header) return [];
  return [...header.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
}

function statusRejection(code: number, body: string): NonNullable<ApplyResult['rejection']> {
  let status: Record<string, any> = {};
  try {
    status = JSON.parse(body);
  } catch {
    return { code, reason: '', message: body.trim().slice(0, 500), causes: [] };
  }
  const causes: RejectionCause[] = (status.details?.causes ?? []).map((c: Record<string, any>) => ({ field: c.field || undefined, message: String(c.message ?? c.reason) }));
  return { code, reason: String(status.reason ?? ''), message: String(status.message ?? body), causes };
}

/** Discovery found no resource for the object's apiVersion and kind: the CRD is missing or of another version. */
function discoveryRejection(object: Record<string, any>, error: unknown): NonNullable<ApplyResult['rejection']> {
  if (error instanceof ClusterError) throw error;
  if ((error as Error).name === 'FetchError') throw new ClusterError(`cannot reach the cluster: ${(error as Error).message}`);
  const code = Number((error as { code?: unknown }).code);
  if (code === 401) throw new ClusterError(`the cluster refused the credentials (401 Unauthorized): log in again or pick another --context`);
  const served = code === 404 || /Unrecognized API version and kind/.test((error as Error).message);
  return {
    code: served ? 404 : code || 0,
    reason: 'NotServed',
    message: served
      ? `the cluster does not serve ${object.apiVersion} ${object.kind}: install its CustomResourceDefinition (or the version this output uses) first`
      : (error as Error).message.split('\n')[0],
    causes: [],
  };
}
