import type { Environment } from '../alert-stream-props';
import { SECRET_NAME } from '../vault-secret';
import type { Problem } from './problem';

type Obj = Record<string, any>;

/** Something an object reads: another object, a Secret or ConfigMap key, a Service port, a topic. */
export type Target =
  | { readonly kind: 'Secret'; readonly name: string; readonly key?: string }
  | { readonly kind: 'ConfigMap'; readonly name: string; readonly key?: string }
  | { readonly kind: 'Service'; readonly name: string; readonly port: string }
  | { readonly kind: 'Topic'; readonly name: string }
  | { readonly kind: 'ConsumerGroup'; readonly name: string; readonly asUser: string }
  | { readonly kind: 'TlsUser'; readonly name: string }
  | { readonly kind: 'ServiceAccount' | 'Deployment' | 'TriggerAuthentication' | 'Kafka'; readonly name: string };

/** One read: which object, where in it, and what. */
export interface Reference {
  /** `Kind/name` of the reading object. */
  readonly from: string;
  /** JSON path of the field that names the target. */
  readonly field: string;
  readonly target: Target;
}

const TLS_USER_KEYS = ['user.crt', 'user.key', 'user.p12', 'user.password', 'ca.crt'];
const CA_KEYS = ['ca.crt', 'ca.p12', 'ca.password'];
const KAFKA_INTERNAL_TOPICS = ['__consumer_offsets', '__transaction_state'];
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);
/** `name[.namespace][.svc[.cluster.local]]:port` after a delimiter: an address of an in-cluster Service. */
const SERVICE_ADDRESS = /(?:^|[=\s/@,])([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?:\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?))?(?:\.svc(?:\.cluster\.local)?)?:(\d{2,5})\b/g;

/** Every read of every object, from the fields where Kubernetes, Strimzi, KEDA and ingresses name things. */
export function extractReferences(objects: readonly Obj[], namespace: string): Reference[] {
  const refs: Reference[] = [];
  for (const o of objects) {
    const from = `${o.kind}/${o.metadata?.name}`;
    const add = (field: string, target: Target) => refs.push({ from, field, target });
    const addresses = (field: string, text: unknown) => {
      if (typeof text !== 'string') return;
      for (const [, host, ns, port] of text.matchAll(SERVICE_ADDRESS)) {
        if (ns === undefined || ns === namespace) add(field, { kind: 'Service', name: host, port });
      }
    };

    if (WORKLOADS.has(o.kind)) {
      const pod = o.spec?.template?.spec ?? {};
      const base = 'spec.template.spec';
      if (pod.serviceAccountName && pod.serviceAccountName !== 'default') {
        add(`${base}.serviceAccountName`, { kind: 'ServiceAccount', name: pod.serviceAccountName });
      }
      // Stryker disable next-line ArrayDeclaration: a placeholder volume names no Secret or ConfigMap
      (pod.volumes ?? []).forEach((v: Obj, i: number) => {
        if (v.secret) {
          add(`${base}.volumes[${i}].secret.secretName`, { kind: 'Secret', name: v.secret.secretName });
          (v.secret.items ?? []).forEach((item: Obj) => add(`${base}.volumes[${i}].secret.items`, { kind: 'Secret', name: v.secret.secretName, key: item.key }));
        }
        if (v.configMap) add(`${base}.volumes[${i}].configMap.name`, { kind: 'ConfigMap', name: v.configMap.name });
      });
      for (const list of ['initContainers', 'containers']) {
        // Stryker disable next-line ArrayDeclaration: a placeholder container has no arguments or environment
        (pod[list] ?? []).forEach((c: Obj, i: number) => {
          const f = `${base}.${list}[${i}]`;
          // Stryker disable next-line ArrayDeclaration: a placeholder argument holds no host:port
          const command: string[] = c.command ?? [];
          // Stryker disable next-line ArrayDeclaration: a placeholder argument holds no host:port
          const args: string[] = c.args ?? [];
          [...command, ...args].forEach((arg) => addresses(`${f}.args`, arg));
          // Stryker disable next-line ArrayDeclaration: a placeholder variable has no value or valueFrom
          (c.env ?? []).forEach((e: Obj, j: number) => {
            const secret = e.valueFrom?.secretKeyRef;
            if (secret && !secret.optional) add(`${f}.env[${j}].valueFrom.secretKeyRef`, { kind: 'Secret', name: secret.name, key: secret.key });
            const cm = e.valueFrom?.configMapKeyRef;
            if (cm && !cm.optional) add(`${f}.env[${j}].valueFrom.configMapKeyRef`, { kind: 'ConfigMap', name: cm.name, key: cm.key });
            addresses(`${f}.env[${j}].value`, e.value);
          });
        });
      }
    }

    switch (o.kind) {
      case 'ScaledObject':
        add('spec.scaleTargetRef.name', { kind: 'Deployment', name: o.spec.scaleTargetRef.name });
        // Stryker disable next-line ArrayDeclaration: a placeholder trigger has no authenticationRef and is not of type kafka
        (o.spec.triggers ?? []).forEach((t: Obj, i: number) => {
          const f = `spec.triggers[${i}]`;
          const auth = t.authenticationRef?.name;
          if (auth) add(`${f}.authenticationRef.name`, { kind: 'TriggerAuthentication', name: auth });
          if (t.type !== 'kafka') return;
          addresses(`${f}.metadata.bootstrapServers`, t.metadata.bootstrapServers);
          if (t.metadata.topic) add(`${f}.metadata.topic`, { kind: 'Topic', name: t.metadata.topic });
          const certUser = objects.find((x) => x.kind === 'TriggerAuthentication' && x.metadata.name === auth)
            ?.spec?.secretTargetRef?.find((r: Obj) => r.parameter === 'cert')?.name;
          if (certUser && t.metadata.consumerGroup) {
            add(`${f}.metadata.consumerGroup`, { kind: 'ConsumerGroup', name: t.metadata.consumerGroup, asUser: certUser });
          }
        });
        break;
      case 'TriggerAuthentication':
        (o.spec?.secretTargetRef ?? []).forEach((r: Obj, i: number) => add(`spec.secretTargetRef[${i}]`, { kind: 'Secret', name: r.name, key: r.key }));
        break;
      case 'Ingress':
      case 'GafaelfawrIngress': {
        const spec = o.kind === 'Ingress' ? o.spec : o.template?.spec;
        const base = o.kind === 'Ingress' ? 'spec' : 'template.spec';
        // Stryker disable next-line ArrayDeclaration: a placeholder rule has no http paths, a placeholder path no backend
        (spec?.rules ?? []).forEach((rule: Obj, i: number) => (rule.http?.paths ?? []).forEach((path: Obj, j: number) => {
          const svc = path.backend?.service;
          if (svc) add(`${base}.rules[${i}].http.paths[${j}].backend.service`, { kind: 'Service', name: svc.name, port: String(svc.port?.number ?? svc.port?.name ?? '(none)') });
        }));
        const authSecret = (o.kind === 'Ingress' ? o.metadata : o.template?.metadata)?.annotations?.['nginx.ingress.kubernetes.io/auth-secret'];
        if (authSecret) add('metadata.annotations.nginx.ingress.kubernetes.io/auth-secret', { kind: 'Secret', name: authSecret, key: 'auth' });
        break;
      }
      case 'Kafka': {
        const metrics = o.spec?.kafka?.metricsConfig?.valueFrom?.configMapKeyRef;
        if (metrics) add('spec.kafka.metricsConfig', { kind: 'ConfigMap', name: metrics.name, key: metrics.key });
        const ccMetrics = o.spec?.cruiseControl?.metricsConfig?.valueFrom?.configMapKeyRef;
        if (ccMetrics) add('spec.cruiseControl.metricsConfig', { kind: 'ConfigMap', name: ccMetrics.name, key: ccMetrics.key });
        // Stryker disable next-line ArrayDeclaration: a placeholder listener has no configuration
        (o.spec?.kafka?.listeners ?? []).forEach((l: Obj, i: number) => {
          const cert = l.configuration?.brokerCertChainAndKey;
          if (!cert) return;
          const f = `spec.kafka.listeners[${i}].configuration.brokerCertChainAndKey`;
          add(f, { kind: 'Secret', name: cert.secretName, key: cert.certificate });
          add(f, { kind: 'Secret', name: cert.secretName, key: cert.key });
        });
        break;
      }
      case 'KafkaUser': {
        const password = o.spec?.authentication?.password?.valueFrom?.secretKeyRef;
        if (password) add('spec.authentication.password.valueFrom.secretKeyRef', { kind: 'Secret', name: password.name, key: password.key });
        (o.spec?.authorization?.acls ?? []).forEach((acl: Obj, i: number) => {
          const r = acl.resource;
          if (r.type === 'topic' && (r.patternType ?? 'literal') === 'literal' && r.name !== '*') {
            add(`spec.authorization.acls[${i}].resource.name`, { kind: 'Topic', name: r.name });
          }
        });
        break;
      }
      case 'StrimziSchemaRegistry':
        add('metadata.name', { kind: 'TlsUser', name: o.metadata.name });
        if (o.spec.registryTopic) add('spec.registryTopic', { kind: 'Topic', name: o.spec.registryTopic });
        break;
    }
    const cluster = o.metadata?.labels?.['strimzi.io/cluster'];
    if (cluster && ['KafkaNodePool', 'KafkaTopic', 'KafkaUser', 'StrimziSchemaRegistry'].includes(o.kind)) {
      add('metadata.labels.strimzi.io/cluster', { kind: 'Kafka', name: cluster });
    }
  }
  return refs;
}

/** A Secret or Service something provides: what it holds, and who makes it (`Kind/name`, or a description). */
export interface ProvidedSecret {
  /** Its keys; undefined: any key may be read (Vault, or a Secret made by hand). */
  readonly keys?: ReadonlySet<string>;
  readonly by: string;
}
export interface ProvidedService {
  /** Its ports, by number and by name. */
  readonly ports: ReadonlySet<string>;
  readonly by: string;
}

/** What the objects of an environment, and what it declares external, provide for others to read. */
export interface Provided {
  readonly secrets: ReadonlyMap<string, ProvidedSecret>;
  readonly services: ReadonlyMap<string, ProvidedService>;
  readonly configMaps: ReadonlyMap<string, ReadonlySet<string>>;
  /** Object names by kind. */
  readonly names: ReadonlyMap<string, ReadonlySet<string>>;
  readonly topics: ReadonlySet<string>;
  readonly users: ReadonlyMap<string, Obj>;
}

/**
 * Everything the environment provides: its objects, what the operators make
 * from them (Strimzi's CA and user Secrets and bootstrap Service, the registry
 * operator's Service, Vault's Secret), and what it declares external.
 */
export function provided(env: Environment, objects: readonly Obj[]): Provided {
  const secrets = new Map<string, ProvidedSecret>();
  const services = new Map<string, ProvidedService>();
  const configMaps = new Map<string, Set<string>>();
  const names = new Map<string, Set<string>>();
  // Stryker disable next-line ArrayDeclaration: only an ACL naming a topic called like the placeholder could tell
  const externalTopics = env.externalTopics ?? [];
  const topics = new Set<string>([...KAFKA_INTERNAL_TOPICS, ...externalTopics]);
  const users = new Map<string, Obj>();
  const secret = (name: string, by: string, keys?: readonly string[]) => secrets.set(name, { keys: keys && new Set(keys), by });
  // Stryker disable next-line ArrayDeclaration: a placeholder declares a Secret without a name, which nothing reads
  for (const s of env.externalSecrets ?? []) secret(s.name, `external (${s.createdBy})`, s.keys);
  // Without Vault the operator creates the Secret by hand, with the keys `npm run secrets` lists.
  if (env.vaultPathPrefix === undefined) secret(SECRET_NAME, 'created by hand (npm run secrets)');

  for (const o of objects) {
    const name = o.metadata?.name;
    const self = `${o.kind}/${name}`;
    names.set(o.kind, (names.get(o.kind) ?? new Set()).add(name));
    switch (o.kind) {
      case 'Secret': secret(name, self, Object.keys({ ...o.data, ...o.stringData })); break;
      case 'VaultSecret': secret(name, self); break;
      case 'ConfigMap': configMaps.set(name, new Set(Object.keys(o.data ?? {}))); break;
      case 'Service':
        services.set(name, { ports: new Set((o.spec?.ports ?? []).flatMap((port: Obj) => [String(port.port), port.name].filter(Boolean))), by: self });
        break;
      case 'KafkaTopic': topics.add(o.spec?.topicName ?? name); break;
      case 'StrimziSchemaRegistry': services.set(name, { ports: new Set(['8081']), by: self }); break;
      case 'KafkaUser':
        users.set(name, o);
        secret(name, self, o.spec?.authentication?.type === 'tls' ? TLS_USER_KEYS : ['password', 'sasl.jaas.config']);
        break;
      case 'Kafka': {
        secret(`${name}-cluster-ca-cert`, self, CA_KEYS);
        secret(`${name}-clients-ca-cert`, self, CA_KEYS);
        // Stryker disable next-line ArrayDeclaration: a placeholder listener has no type and is filtered out
        const internal = (o.spec?.kafka?.listeners ?? []).filter((l: Obj) => l.type === 'internal');
        services.set(`${name}-kafka-bootstrap`, { ports: new Set(internal.map((l: Obj) => String(l.port))), by: self });
        break;
      }
    }
  }
  return { secrets, services, configMaps, names, topics, users };
}

/** Why a reference does not resolve, or undefined when it does. */
function unresolved(target: Target, p: Provided): string | undefined {
  switch (target.kind) {
    case 'Secret': {
      const provider = p.secrets.get(target.name);
      if (!provider) {
        return `reads Secret '${target.name}', which nothing in the environment creates; create it here, or declare it in externalSecrets with its keys and who creates it`;
      }
      const keys = provider.keys;
      return target.key !== undefined && keys && !keys.has(target.key)
        ? `reads key '${target.key}' of Secret '${target.name}', which has only ${[...keys].join(', ')}` : undefined;
    }
    case 'ConfigMap': {
      const keys = p.configMaps.get(target.name);
      if (!keys) return `reads ConfigMap '${target.name}', which the environment does not create`;
      return target.key !== undefined && !keys.has(target.key)
        ? `reads key '${target.key}' of ConfigMap '${target.name}', which has only ${[...keys].join(', ')}` : undefined;
    }
    case 'Service': {
      const ports = p.services.get(target.name)?.ports;
      if (!ports) return `talks to Service '${target.name}', which the environment does not create`;
      return ports.has(target.port) ? undefined
        : `talks to port ${target.port} of Service '${target.name}', which serves ${ports.size > 0 ? `only ${[...ports].join(', ')}` : 'no ports'}`;
    }
    case 'Topic':
      return p.topics.has(target.name) ? undefined
        : `uses topic '${target.name}', which is neither managed here nor declared in externalTopics; add it to topics`;
    case 'ConsumerGroup': {
      const user = p.users.get(target.asUser);
      return !user || allowsGroup(user, target.name) ? undefined
        : `KEDA reads the lag of consumer group '${target.name}' as KafkaUser '${target.asUser}', whose ACLs do not cover that group`;
    }
    case 'TlsUser': {
      const user = p.users.get(target.name);
      return user?.spec?.authentication?.type === 'tls' ? undefined
        : `the registry operator connects as KafkaUser '${target.name}' with a client certificate; create that TLS user`;
    }
    default:
      return p.names.get(target.kind)?.has(target.name) ? undefined
        : `refers to ${target.kind} '${target.name}', which the environment does not create`;
  }
}

/**
 * Everything an object reads — Secrets and their keys, ConfigMaps, Services
 * and ports, ServiceAccounts, topics, the scaled Deployment, the consumer
 * group KEDA watches — is created by the same environment or declared
 * external (`externalTopics`, `externalSecrets`). Works on the synthesized
 * objects, so it checks what is actually deployed.
 */
export function checkReferences(env: Environment, objects: readonly Obj[]): Problem[] {
  const p = provided(env, objects);
  const problems: Problem[] = [];
  for (const ref of extractReferences(objects, env.namespace)) {
    const message = unresolved(ref.target, p);
    if (message) problems.push({ env: env.name, resource: ref.from, field: ref.field, message });
  }
  for (const o of objects.filter((x) => WORKLOADS.has(x.kind))) {
    const pod = o.spec?.template?.spec ?? {};
    // Stryker disable next-line ArrayDeclaration: a placeholder volume has no name, so no mount matches it either
    const volumes: Obj[] = pod.volumes ?? [];
    for (const list of ['initContainers', 'containers']) {
      // Stryker disable next-line ArrayDeclaration: a placeholder container has no mounts
      const containers: Obj[] = pod[list] ?? [];
      containers.forEach((c, i) => (c.volumeMounts ?? []).forEach((m: Obj, j: number) => {
        if (!volumes.some((v) => v.name === m.name)) {
          problems.push({ env: env.name, resource: `${o.kind}/${o.metadata.name}`, field: `spec.template.spec.${list}[${i}].volumeMounts[${j}]`, message: `mounts volume '${m.name}', which the pod does not define` });
        }
      }));
    }
  }
  return problems;
}

/** Whether a KafkaUser's ACLs let it describe a consumer group. */
function allowsGroup(user: Obj, group: string): boolean {
  return (user.spec?.authorization?.acls ?? []).some((acl: Obj) => {
    const r = acl.resource;
    if (r.type !== 'group') return false;
    const matches = r.name === '*' || (r.patternType === 'prefix' ? group.startsWith(r.name) : group === r.name);
    return matches && acl.operations.some((op: string) => ['Describe', 'Read', 'All'].includes(op));
  });
}
