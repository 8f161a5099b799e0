import { Construct } from 'constructs';
import { checkerAcceptances } from './pod-security';
import { SCHEMA_REGISTRY_PORT } from './schema-registry';
import { IngressController, WebIngress } from './web-ingress';
import type { HostName, UrlPath } from './types';

/** Where the registry is published. */
export interface RegistryIngressOptions {
  /** Public host name, e.g. `rubin-alert-schemas.slac.stanford.edu`. */
  readonly host: HostName;
  /** URL path prefix the registry answers under. @default '/schema-registry' */
  readonly path?: UrlPath;
}

export interface RegistryIngressProps extends RegistryIngressOptions {
  readonly controller: IngressController;
  /** The registry's Service (`SchemaRegistry.serviceName`). */
  readonly serviceName: string;
}

/**
 * The schema registry on the internet: anonymous and read-only (GET), so
 * community brokers can fetch schemas but nobody outside can change them.
 * `/schema-registry/subjects` reaches the registry as `/subjects`.
 */
export class RegistryIngress extends Construct {
  public readonly ingress: WebIngress;

  constructor(scope: Construct, id: string, props: RegistryIngressProps) {
    super(scope, id);
    const base = (props.path ?? '/schema-registry').replace(/\/+$/, '');
    this.ingress = new WebIngress(this, 'Ingress', {
      name: props.serviceName,
      controller: props.controller,
      host: props.host,
      path: `${base}(/|$)(.*)`,
      pathType: 'ImplementationSpecific',
      backend: { serviceName: props.serviceName, port: SCHEMA_REGISTRY_PORT },
      access: { anonymous: true },
      readOnly: true,
      checkerAcceptances: checkerAcceptances(
        { CKV_K8S_153: 'the configuration snippet is the read-only limit (limit_except GET), fixed text of ours with no user input; validate --server checks that the controller admits snippets' },
        { 'ingress-targets-service': 'the Service is made by the strimzi-registry-operator from the StrimziSchemaRegistry, so it is not among the synthesized objects' },
      ),
      annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
      labels: { 'app.kubernetes.io/name': 'schema-registry' },
    });
  }
}
