import type { Environment } from '../../environments/environment';
import type { Problem } from './problem';

type Obj = Record<string, any>;

/** What the objects of an environment provide for others to read. */
interface Provided {
  /** Secret name → its keys; `undefined` keys: filled from Vault, any key may be read (see `npm run secrets`). */
  readonly secrets: Map<string, Set<string> | undefined>;
  readonly configMaps: Map<string, Set<string>>;
  /** Service name → its ports, by number and by name. */
  readonly services: Map<string, Set<string>>;
  readonly names: Map<string, Set<string>>;
  readonly topics: Set<string>;
  readonly users: Map<string, Obj>;
}

const TLS_USER_KEYS = ['user.crt', 'user.key', 'user.p12', 'user.password', 'ca.crt'];
const CA_KEYS = ['ca.crt', 'ca.p12', 'ca.password'];
const KAFKA_INTERNAL_TOPICS = ['__consumer_offsets', '__transaction_state'];
const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);
/** `name[.namespace][.svc[.cluster.local]]:port` after a delimiter: an address of an in-cluster Service. */
const SERVICE_ADDRESS = /(?:^|[=\s/@,])([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)(?:\.([a-z0-9](?:[-a-z0-9]*[a-z0-9])?))?(?:\.svc(?:\.cluster\.local)?)?:(\d{2,5})\b/g;

function provided(env: Environment, objects: readonly Obj[]): Provided {
  const p: Provided = { secrets: new Map(), configMaps: new Map(), services: new Map(), names: new Map(), topics: new Set(), users: new Map() };
  const secret = (name: string, keys?: readonly string[]) => p.secrets.set(name, keys && new Set(keys));
  const named = (kind: string, name: string) => p.names.set(kind, (p.names.get(kind) ?? new Set()).add(name));
  for (const name of KAFKA_INTERNAL_TOPICS) p.topics.add(name);
  for (const name of env.externalTopics ?? []) p.topics.add(name);
  for (const s of env.externalSecrets ?? []) secret(s.name, s.keys);

  for (const o of objects) {
    const name = o.metadata?.name;
    named(o.kind, name);
    switch (o.kind) {
      case 'Secret': secret(name, Object.keys({ ...o.data, ...o.stringData })); break;
      case 'VaultSecret': secret(name); break;
      case 'ConfigMap': p.configMaps.set(name, new Set(Object.keys(o.data ?? {}))); break;
      case 'Service': p.services.set(name, new Set((o.spec?.ports ?? []).flatMap((port: Obj) => [String(port.port), port.name].filter(Boolean)))); break;
      case 'KafkaTopic': p.topics.add(o.spec?.topicName ?? name); break;
      case 'StrimziSchemaRegistry': p.services.set(name, new Set(['8081'])); break;
      case 'KafkaUser':
        p.users.set(name, o);
        secret(name, o.spec?.authentication?.type === 'tls' ? TLS_USER_KEYS : ['password', 'sasl.jaas.config']);
        break;
      case 'Kafka': {
        secret(`${name}-cluster-ca-cert`, CA_KEYS);
        secret(`${name}-clients-ca-cert`, CA_KEYS);
        const internal = (o.spec?.kafka?.listeners ?? []).filter((l: Obj) => l.type === 'internal');
        p.services.set(`${name}-kafka-bootstrap`, new Set(internal.map((l: Obj) => String(l.port))));
        break;
      }
    }
  }
  return p;
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

  for (const o of objects) {
    const resource = `${o.kind}/${o.metadata?.name}`;
    const problem = (field: string, message: string) => problems.push({ env: env.name, resource, field, message });
    const needSecret = (field: string, name: string, key?: string) => {
      if (!p.secrets.has(name)) {
        problem(field, `reads Secret '${name}', which nothing in the environment creates; ` +
          'create it here, or declare it in externalSecrets with its keys and who creates it');
        return;
      }
      const keys = p.secrets.get(name);
      if (key !== undefined && keys && !keys.has(key)) {
        problem(field, `reads key '${key}' of Secret '${name}', which has only ${[...keys].join(', ')}`);
      }
    };
    const needConfigMap = (field: string, name: string, key?: string) => {
      const keys = p.configMaps.get(name);
      if (!keys) problem(field, `reads ConfigMap '${name}', which the environment does not create`);
      else if (key !== undefined && !keys.has(key)) problem(field, `reads key '${key}' of ConfigMap '${name}', which has only ${[...keys].join(', ')}`);
    };
    const needService = (field: string, name: string, port: string | number) => {
      const ports = p.services.get(name);
      if (!ports) problem(field, `talks to Service '${name}', which the environment does not create`);
      else if (!ports.has(String(port))) problem(field, `talks to port ${port} of Service '${name}', which serves ${ports.size > 0 ? `only ${[...ports].join(', ')}` : 'no ports'}`);
    };
    const needNamed = (field: string, kind: string, name: string) => {
      if (!p.names.get(kind)?.has(name)) problem(field, `refers to ${kind} '${name}', which the environment does not create`);
    };
    const needTopic = (field: string, topic: string) => {
      if (!p.topics.has(topic)) {
        problem(field, `uses topic '${topic}', which is neither managed here nor declared in externalTopics; add it to topics`);
      }
    };
    const scanAddresses = (field: string, text: unknown) => {
      if (typeof text !== 'string') return;
      for (const match of text.matchAll(SERVICE_ADDRESS)) {
        const [, host, namespace, port] = match;
        if (namespace === undefined || namespace === env.namespace) needService(field, host, port);
      }
    };

    if (WORKLOADS.has(o.kind)) {
      const pod = o.spec?.template?.spec ?? {};
      const base = 'spec.template.spec';
      if (pod.serviceAccountName && pod.serviceAccountName !== 'default') {
        needNamed(`${base}.serviceAccountName`, 'ServiceAccount', pod.serviceAccountName);
      }
      (pod.volumes ?? []).forEach((v: Obj, i: number) => {
        const f = `${base}.volumes[${i}]`;
        if (v.secret) {
          needSecret(`${f}.secret.secretName`, v.secret.secretName);
          (v.secret.items ?? []).forEach((item: Obj) => needSecret(`${f}.secret.items`, v.secret.secretName, item.key));
        }
        if (v.configMap) needConfigMap(`${f}.configMap.name`, v.configMap.name);
      });
      for (const list of ['initContainers', 'containers']) {
        (pod[list] ?? []).forEach((c: Obj, i: number) => {
          const f = `${base}.${list}[${i}]`;
          [...(c.command ?? []), ...(c.args ?? [])].forEach((arg: string) => scanAddresses(`${f}.args`, arg));
          (c.env ?? []).forEach((e: Obj, j: number) => {
            const ref = e.valueFrom?.secretKeyRef;
            if (ref && !ref.optional) needSecret(`${f}.env[${j}].valueFrom.secretKeyRef`, ref.name, ref.key);
            const cm = e.valueFrom?.configMapKeyRef;
            if (cm && !cm.optional) needConfigMap(`${f}.env[${j}].valueFrom.configMapKeyRef`, cm.name, cm.key);
            scanAddresses(`${f}.env[${j}].value`, e.value);
          });
          (c.volumeMounts ?? []).forEach((m: Obj, j: number) => {
            if (!(pod.volumes ?? []).some((v: Obj) => v.name === m.name)) problem(`${f}.volumeMounts[${j}]`, `mounts volume '${m.name}', which the pod does not define`);
          });
        });
      }
    }

    switch (o.kind) {
      case 'ScaledObject': {
        needNamed('spec.scaleTargetRef.name', o.spec.scaleTargetRef.kind ?? 'Deployment', o.spec.scaleTargetRef.name);
        (o.spec.triggers ?? []).forEach((t: Obj, i: number) => {
          const f = `spec.triggers[${i}]`;
          const auth = t.authenticationRef?.name;
          if (auth) needNamed(`${f}.authenticationRef.name`, 'TriggerAuthentication', auth);
          if (t.type !== 'kafka') return;
          scanAddresses(`${f}.metadata.bootstrapServers`, t.metadata.bootstrapServers);
          if (t.metadata.topic) needTopic(`${f}.metadata.topic`, t.metadata.topic);
          const certUser = objects.find((x) => x.kind === 'TriggerAuthentication' && x.metadata.name === auth)
            ?.spec?.secretTargetRef?.find((r: Obj) => r.parameter === 'cert')?.name;
          const user = certUser && p.users.get(certUser);
          if (user && !allowsGroup(user, t.metadata.consumerGroup)) {
            problem(`${f}.metadata.consumerGroup`, `KEDA reads the lag of consumer group '${t.metadata.consumerGroup}' as KafkaUser '${certUser}', whose ACLs do not cover that group`);
          }
        });
        break;
      }
      case 'TriggerAuthentication':
        (o.spec.secretTargetRef ?? []).forEach((r: Obj, i: number) => needSecret(`spec.secretTargetRef[${i}]`, r.name, r.key));
        break;
      case 'Ingress':
      case 'GafaelfawrIngress': {
        const spec = o.kind === 'Ingress' ? o.spec : o.template?.spec;
        const base = o.kind === 'Ingress' ? 'spec' : 'template.spec';
        (spec?.rules ?? []).forEach((rule: Obj, i: number) => (rule.http?.paths ?? []).forEach((path: Obj, j: number) => {
          const svc = path.backend?.service;
          if (svc) needService(`${base}.rules[${i}].http.paths[${j}].backend.service`, svc.name, svc.port?.number ?? svc.port?.name);
        }));
        const annotations = (o.kind === 'Ingress' ? o.metadata : o.template?.metadata)?.annotations ?? {};
        const authSecret = annotations['nginx.ingress.kubernetes.io/auth-secret'];
        if (authSecret) needSecret('metadata.annotations.nginx.ingress.kubernetes.io/auth-secret', authSecret, 'auth');
        break;
      }
      case 'Kafka': {
        const metrics = o.spec.kafka.metricsConfig?.valueFrom?.configMapKeyRef;
        if (metrics) needConfigMap('spec.kafka.metricsConfig', metrics.name, metrics.key);
        const ccMetrics = o.spec.cruiseControl?.metricsConfig?.valueFrom?.configMapKeyRef;
        if (ccMetrics) needConfigMap('spec.cruiseControl.metricsConfig', ccMetrics.name, ccMetrics.key);
        (o.spec.kafka.listeners ?? []).forEach((l: Obj, i: number) => {
          const cert = l.configuration?.brokerCertChainAndKey;
          if (!cert) return;
          const f = `spec.kafka.listeners[${i}].configuration.brokerCertChainAndKey`;
          needSecret(f, cert.secretName, cert.certificate);
          needSecret(f, cert.secretName, cert.key);
        });
        break;
      }
      case 'KafkaUser': {
        const ref = o.spec.authentication?.password?.valueFrom?.secretKeyRef;
        if (ref) needSecret('spec.authentication.password.valueFrom.secretKeyRef', ref.name, ref.key);
        (o.spec.authorization?.acls ?? []).forEach((acl: Obj, i: number) => {
          const r = acl.resource;
          if (r.type === 'topic' && (r.patternType ?? 'literal') === 'literal' && r.name !== '*') needTopic(`spec.authorization.acls[${i}].resource.name`, r.name);
        });
        break;
      }
      case 'StrimziSchemaRegistry': {
        const user = p.users.get(o.metadata.name);
        if (!user || user.spec?.authentication?.type !== 'tls') {
          problem('metadata.name', `the registry operator connects as KafkaUser '${o.metadata.name}' with a client certificate; create that TLS user`);
        }
        if (o.spec.registryTopic) needTopic('spec.registryTopic', o.spec.registryTopic);
        break;
      }
    }
    const cluster = o.metadata?.labels?.['strimzi.io/cluster'];
    if (cluster && ['KafkaNodePool', 'KafkaTopic', 'KafkaUser', 'StrimziSchemaRegistry'].includes(o.kind)) {
      needNamed('metadata.labels.strimzi.io/cluster', 'Kafka', cluster);
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
