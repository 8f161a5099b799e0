import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KubeConfig, KubernetesObject, RequestContext, ResponseContext } from '@kubernetes/client-node';

import { DeadlineError, DEFAULT_TIMEOUT_SECONDS, withDeadline } from './deadline';
import { printable } from './printable';

type ClientNode = typeof import('@kubernetes/client-node');

/**
 * The client library is loaded on first use: it is large, and only `validate --server` and the
 * cluster tests need it. The bundle leaves it out; it is an ES module, which Node >= 20.19
 * loads with require().
 */
function loadClientNode(): ClientNode {
  // Loaded here, not imported: an ES module of its own, needed by `validate --server` only.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@kubernetes/client-node') as ClientNode;
}

/** The field manager of every apply: how the API server names this tool in `managedFields`. */
export const FIELD_MANAGER = 'alert-stream-deploy';

/** Which cluster to talk to: a kubeconfig file (default: $KUBECONFIG, then ~/.kube/config) and a context in it. */
export interface ClusterTarget {
  readonly kubeconfig?: string;
  readonly context?: string;
  /** How long one request (credentials included) may take. @default 10 s */
  readonly timeoutMs?: number;
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
  /** The field manager the server records (and whose earlier fields an apply may remove). @default FIELD_MANAGER */
  readonly fieldManager?: string;
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

  private constructor(private readonly k8s: ClientNode, private readonly config: KubeConfig, public readonly context: string, public readonly serverUrl: string,
    private readonly file: string, private readonly timeoutMs: number) {
    this.http = new k8s.IsomorphicFetchHttpLibrary();
    this.server = new k8s.ServerConfiguration(serverUrl, {});
    const paths = resourcePaths(k8s, config);
    // Discovery runs through the client's own requests: bounded by the same timeout.
    this.resourcePath = (object) => withDeadline(paths(object), timeoutMs, '').catch((error) => {
      if (error instanceof DeadlineError) throw new ClusterError(`${this.where()} did not answer its API discovery within ${timeoutMs / 1000} s (--timeout ${timeoutMs / 1000})`);
      throw error;
    });
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
    const shownFile = printable(file ?? home, 120);
    if (config.getContexts().length === 0 && config.getClusters().length === 0) {
      throw new ClusterError(`${shownFile} is not a kubeconfig: it has no clusters and no contexts`);
    }
    if (!cluster) throw new ClusterError(`the kubeconfig ${shownFile}: its current context '${printable(config.getCurrentContext(), 80)}' names no cluster; pass --context NAME`);
    if (typeof cluster.server !== 'string' || !/^https?:\/\/./.test(cluster.server)) {
      throw new ClusterError(`the kubeconfig ${shownFile}: cluster '${printable(cluster.name, 80)}' has no server URL (got '${printable(cluster.server, 80)}')`);
    }
    return new ClusterClient(k8s, config, config.getCurrentContext(), cluster.server, shownFile, target.timeoutMs ?? DEFAULT_TIMEOUT_SECONDS * 1000);
  }

  /** Asks the server its version: proves it is reachable and accepts the credentials. */
  async version(): Promise<string> {
    const response = await this.send(this.request('/version', 'GET'));
    const body = await response.body.text();
    if (response.httpStatusCode === 401) {
      throw new ClusterError(`${this.where()} refused the credentials (401 Unauthorized): log in again or pick another --context`);
    }
    if (response.httpStatusCode !== 200) throw new ClusterError(`${this.where()} answered /version with HTTP ${response.httpStatusCode}: ${printable(body, 120)}`);
    const version = this.json(body, '/version').gitVersion;
    if (typeof version !== 'string') throw new ClusterError(`could not check: ${this.where()} answered /version without a gitVersion: is it a Kubernetes API server?`);
    return printable(version, 40);
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
    request.setQueryParam('fieldManager', options.fieldManager ?? FIELD_MANAGER);
    request.setQueryParam('fieldValidation', 'Strict');
    if (options.dryRun) request.setQueryParam('dryRun', 'All');
    if (options.force) request.setQueryParam('force', 'true');
    // JSON is YAML: the apply body is the object as synthesized, untouched.
    request.setBody(JSON.stringify(object));
    const response = await this.send(request);
    const body = await response.body.text();
    const warnings = parseWarnings(response.headers.warning);
    if (response.httpStatusCode >= 200 && response.httpStatusCode < 300) return { applied: this.json(body, `the apply of ${object.kind}/${object.metadata?.name}`), warnings };
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
    if (response.httpStatusCode !== 200) {
      // The Status's message, not the raw body: one printable line.
      const { code, reason, message } = statusRejection(response.httpStatusCode, body);
      throw new ClusterError(`${this.where()}: reading ${object.kind}/${object.metadata?.name}: ${reason ? `${code} ${reason}` : `HTTP ${code}`}: ${printable(message, 200)}`);
    }
    return this.json(body, `reading ${object.kind}/${object.metadata?.name}`);
  }

  private request(resourcePath: string, method: 'GET' | 'PATCH'): RequestContext {
    const request = this.server.makeRequestContext(resourcePath, this.k8s.HttpMethod[method]);
    request.setHeaderParam('Accept', 'application/json');
    return request;
  }

  /** A JSON object from a body the API promises to be one; anything else is "could not check". */
  private json(body: string, what: string): Record<string, any> {
    try {
      const value = JSON.parse(body);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
    } catch {
      // said below
    }
    throw new ClusterError(`could not check: ${this.where()} answered ${what} with something that is not a JSON object (${printable(body, 60) || 'an empty body'}): is it a Kubernetes API server?`);
  }

  /**
   * Sends one request with the kubeconfig's credentials, the whole of it (an exec plugin, the connection, the
   * body) bounded by the timeout; every failure is one ClusterError line.
   */
  private async send(request: RequestContext): Promise<ResponseContext> {
    const seconds = this.timeoutMs / 1000;
    try {
      await withDeadline(this.config.applySecurityAuthentication(request), this.timeoutMs,
        `the credentials of the kubeconfig ${this.file} (context '${this.context}') were not ready within ${seconds} s (--timeout ${seconds}): its exec plugin does not finish`);
    } catch (error) {
      if (error instanceof DeadlineError) throw new ClusterError(error.message);
      throw new ClusterError(`the credentials of the kubeconfig ${this.file} (context '${this.context}') cannot be had: ${credentialProblem(error, this.config.getCurrentUser()?.exec !== undefined)}`);
    }
    const signal = AbortSignal.timeout(this.timeoutMs);
    request.setSignal(signal as unknown as Parameters<RequestContext['setSignal']>[0]);
    try {
      const response = await this.http.send(request).toPromise();
      // The body is read by the caller: keep it within the same deadline.
      const text = await withDeadline(response.body.text(), this.timeoutMs, `${this.where()} did not send a whole answer within ${seconds} s (--timeout ${seconds})`);
      return new this.k8s.ResponseContext(response.httpStatusCode, response.headers, { text: async () => text, binary: async () => Buffer.from(text) });
    } catch (error) {
      if (error instanceof DeadlineError) throw new ClusterError(error.message);
      if (signal.aborted || (error as Error).name === 'AbortError') throw new ClusterError(`${this.where()} did not answer within ${seconds} s (--timeout ${seconds})`);
      const code = (error as NodeJS.ErrnoException).code;
      throw new ClusterError(`cannot reach ${this.where()}: ${printable(code ?? (error as Error).message, 120)}`);
    }
  }

  private where(): string {
    return `the cluster of context '${printable(this.context, 80)}' at ${printable(this.serverUrl, 120)}`;
  }
}

/** Why an exec credential plugin (or another credential provider) failed, in one printable line. */
function credentialProblem(error: unknown, exec: boolean): string {
  const e = error as NodeJS.ErrnoException & { path?: string; spawnargs?: string[] };
  if (e.code === 'ENOENT' && e.path) return `its exec plugin '${printable(e.path, 80)}' is not installed (not found on PATH)`;
  if (e.code === 'EACCES' && e.path) return `its exec plugin '${printable(e.path, 80)}' cannot be run (permission denied)`;
  if (e instanceof SyntaxError) return `its exec plugin did not print an ExecCredential (not JSON: ${printable(e.message, 80)})`;
  const message = printable(e?.message ?? e, 160);
  if (!exec) return message || 'no reason given';
  return message ? `its exec plugin failed: ${message}` : 'its exec plugin failed without saying why';
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
  let status: Record<string, any>;
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
  if ((error as Error).name === 'AbortError') throw new ClusterError(`the cluster did not answer its API discovery in time (--timeout)`);
  const served = code === 404 || /Unrecognized API version and kind/.test((error as Error).message);
  return {
    code: served ? 404 : code || 0,
    reason: 'NotServed',
    message: served
      ? `the cluster does not serve ${object.apiVersion} ${object.kind}: install its CustomResourceDefinition (or the version this output uses) first`
      : printable((error as Error).message, 200),
    causes: [],
  };
}
