import { Construct } from 'constructs';
import {
  GafaelfawrIngress,
  GafaelfawrIngressTemplateSpecRulesHttpPathsPathType,
} from '../imports/gafaelfawr-gafaelfawr.lsst.io';
import { KubeIngress } from './k8s';

/**
 * Who answers web requests: Gafaelfawr (Rubin's auth gateway, which writes
 * the Ingress itself and checks scopes) or a plain ingress-nginx Ingress, for
 * clusters without Gafaelfawr.
 */
export type IngressController = 'gafaelfawr' | 'nginx';

/** Who may use an ingress. */
export type IngressAccess =
  /** Anyone, without logging in. */
  | { readonly anonymous: true }
  /**
   * Users holding every listed Gafaelfawr scope. Under plain nginx, which
   * cannot check scopes, HTTP basic auth from Secret `<ingress name>-basic-auth`
   * (key `auth`, htpasswd format) guards it instead.
   */
  | { readonly scopes: readonly string[]; readonly loginRedirect?: boolean; readonly service?: string };

export interface WebIngressProps {
  /** Name of the ingress object (and of the Ingress Gafaelfawr writes). */
  readonly name: string;
  readonly controller: IngressController;
  readonly host: string;
  readonly path: string;
  readonly pathType: 'Prefix' | 'ImplementationSpecific' | 'Exact';
  readonly backend: { readonly serviceName: string; readonly port: number | string };
  readonly access: IngressAccess;
  /** Only GET (and HEAD) requests reach the backend; anything else gets 403. @default false */
  readonly readOnly?: boolean;
  /**
   * Checker findings the plain Ingress accepts, as `checkerAcceptances` writes them (on the Ingress object
   * only: checkov and kube-score do not read a GafaelfawrIngress). @default - none
   */
  readonly checkerAcceptances?: Readonly<Record<string, string>>;
  /** ingress-nginx annotations, e.g. a rewrite target. */
  readonly annotations?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The annotation that limits a location to GET and HEAD (needs `allow-snippet-annotations` in ingress-nginx). */
export const READ_ONLY_SNIPPET = {
  'nginx.ingress.kubernetes.io/configuration-snippet':
    '# Read-only from outside the cluster: only GET (and HEAD) reach the backend.\nlimit_except GET { deny all; }\n',
};

/** One HTTP route to a Service, under Gafaelfawr or plain nginx. */
export class WebIngress extends Construct {
  public readonly ingressName: string;
  /** Secret nginx reads basic-auth users from, when plain nginx guards a protected route. */
  public readonly basicAuthSecret?: string;

  constructor(scope: Construct, id: string, props: WebIngressProps) {
    super(scope, id);
    this.ingressName = props.name;
    const protectedByNginx = props.controller === 'nginx' && !('anonymous' in props.access);
    this.basicAuthSecret = protectedByNginx ? `${props.name}-basic-auth` : undefined;
    const annotations = {
      ...props.annotations,
      ...(props.readOnly ? READ_ONLY_SNIPPET : {}),
      ...(this.basicAuthSecret ? {
        'nginx.ingress.kubernetes.io/auth-type': 'basic',
        'nginx.ingress.kubernetes.io/auth-secret': this.basicAuthSecret,
        'nginx.ingress.kubernetes.io/auth-realm': `${props.name}: log in`,
      } : {}),
    };
    const port = typeof props.backend.port === 'number' ? { number: props.backend.port } : { name: props.backend.port };
    const rule = {
      host: props.host,
      http: {
        paths: [{
          path: props.path,
          pathType: props.pathType,
          backend: { service: { name: props.backend.serviceName, port } },
        }],
      },
    };
    const metadataAnnotations = Object.keys(annotations).length > 0 ? annotations : undefined;
    const labels = props.labels ? { ...props.labels } : undefined;

    if (props.controller === 'gafaelfawr') {
      const access = props.access;
      new GafaelfawrIngress(this, 'Resource', {
        metadata: { name: props.name, labels },
        config: 'anonymous' in access
          ? { scopes: { anonymous: true } }
          : { scopes: { all: [...access.scopes] }, loginRedirect: access.loginRedirect, service: access.service },
        template: {
          metadata: { name: props.name, annotations: metadataAnnotations },
          spec: {
            rules: [{
              ...rule,
              http: {
                paths: rule.http.paths.map((p) => ({
                  ...p,
                  pathType: p.pathType as GafaelfawrIngressTemplateSpecRulesHttpPathsPathType,
                })),
              },
            }],
          },
        },
      });
    } else {
      // L1: cdk8s-plus-28's Ingress takes a backend only from its own Service (ours is L1), by port number (the archive server's is named).
      new KubeIngress(this, 'Resource', {
        metadata: { name: props.name, labels, annotations: props.checkerAcceptances ? { ...metadataAnnotations, ...props.checkerAcceptances } : metadataAnnotations },
        spec: { ingressClassName: 'nginx', rules: [rule] },
      });
    }
  }
}
