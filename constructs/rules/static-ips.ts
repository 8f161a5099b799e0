import { isIPv4 } from './ipv4';
import type { Environment } from '../alert-stream-props';
import type { NodePortListenerOptions, PinnedAddress } from '../external-listener';
import type { Problem } from './problem';

/** RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens. */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

interface PinnedEntry extends PinnedAddress {
  /** How messages name it: `bootstrap` or `broker 6`. */
  readonly label: string;
  /** Path of the entry in the environment file. */
  readonly path: string;
}

/**
 * The manual: "The Kafka brokers MUST point to static IPs". Every broker of
 * the broker pool has a pinned IP and host, every pinned entry is a broker,
 * and no two load balancers share an IP or a host. (With node ports, each
 * broker's port is pinned instead.)
 */
export function checkStaticIps(env: Environment): Problem[] {
  const listener = env.externalListener;
  if (listener.type === 'nodeport') return checkNodePorts(env, listener);
  const problem = (field: string, message: string): Problem =>
    ({ env: env.name, resource: `Kafka/${env.kafka.name}`, field, message });
  const problems: Problem[] = [];
  // A broker being removed still runs until Strimzi removes it: its pinned address stays until then.
  const brokerIds = [...env.brokers.nodeIds, ...(env.brokers.removing ?? []).filter((id) => !env.brokers.nodeIds.includes(id))];

  for (const id of brokerIds) {
    if (!listener.brokers.some((b) => b.nodeId === id)) {
      problems.push(problem('externalListener.brokers',
        `broker ${id} has no pinned load-balancer IP and host; add { nodeId: ${id}, host: '<DNS name>', ip: '<static IPv4>' } ` +
        '(the brokers MUST have static IPs, or a restart hands out a new address and DNS and TLS break)'));
    }
  }

  const seenIds = new Map<number, number>();
  listener.brokers.forEach((b, i) => {
    const field = `externalListener.brokers[${i}].nodeId`;
    if (!brokerIds.includes(b.nodeId)) {
      const role = env.controllers.nodeIds.includes(b.nodeId) ? `; node ${b.nodeId} is a controller` : '';
      problems.push(problem(field,
        `broker ${b.nodeId} is not a node of the broker pool (brokers.nodeIds: [${env.brokers.nodeIds.join(', ')}]${env.brokers.removing?.length ? `, removing: [${env.brokers.removing.join(', ')}]` : ''})${role}; ` +
        (role ? 'remove the entry or fix its nodeId' : `remove the entry or fix its nodeId; while broker ${b.nodeId} is being removed, list it in brokers.removing instead (its address stays until Strimzi removed it)`)));
    }
    const first = seenIds.get(b.nodeId);
    if (first !== undefined) {
      problems.push(problem(field,
        `broker ${b.nodeId} is pinned twice (also externalListener.brokers[${first}]); keep one entry per broker`));
    } else {
      seenIds.set(b.nodeId, i);
    }
  });

  const entries: PinnedEntry[] = [
    { ...listener.bootstrap, label: 'bootstrap', path: 'externalListener.bootstrap' },
    ...listener.brokers.map((b, i) => ({ ...b, label: `broker ${b.nodeId}`, path: `externalListener.brokers[${i}]` })),
  ];
  const ipOwner = new Map<string, PinnedEntry>();
  const hostOwner = new Map<string, PinnedEntry>();
  for (const entry of entries) {
    if (!isIPv4(entry.ip)) {
      problems.push(problem(`${entry.path}.ip`,
        `${entry.label}: '${entry.ip}' is not a valid IPv4 address; use four numbers 0-255 without leading zeros, e.g. 134.79.23.201`));
    } else if (ipOwner.has(entry.ip)) {
      problems.push(problem(`${entry.path}.ip`,
        `${entry.label}: IP ${entry.ip} is also pinned to ${ipOwner.get(entry.ip)!.label}; every load balancer needs its own address`));
    } else {
      ipOwner.set(entry.ip, entry);
    }
    // Stryker disable next-line MethodExpression: folding to upper case compares hosts without case just the same
    const host = entry.host.toLowerCase();
    if (!DNS_NAME.test(entry.host)) {
      problems.push(problem(`${entry.path}.host`,
        `${entry.label}: '${entry.host}' is not a valid DNS name; use the fully qualified name of its A record`));
    } else if (hostOwner.has(host)) {
      problems.push(problem(`${entry.path}.host`,
        `${entry.label}: host ${entry.host} is also used by ${hostOwner.get(host)!.label}; each needs its own DNS name`));
    } else {
      hostOwner.set(host, entry);
    }
  }
  return problems;
}

const NODE_PORT_RANGE = [30000, 32767] as const;

/**
 * The node-port listener's counterpart: every broker has a pinned node port,
 * every entry is a broker, and the ports are distinct and in Kubernetes'
 * node-port range.
 */
function checkNodePorts(env: Environment, listener: NodePortListenerOptions): Problem[] {
  const problems: Problem[] = [];
  const problem = (field: string, message: string) =>
    problems.push({ env: env.name, resource: `Kafka/${env.kafka.name}`, field, message });
  // A broker being removed still runs until Strimzi removes it: its pinned address stays until then.
  const brokerIds = [...env.brokers.nodeIds, ...(env.brokers.removing ?? []).filter((id) => !env.brokers.nodeIds.includes(id))];
  for (const id of brokerIds) {
    if (!listener.brokers.some((b) => b.nodeId === id)) {
      problem('externalListener.brokers', `broker ${id} has no pinned node port; add { nodeId: ${id}, nodePort: <30000-32767> }`);
    }
  }
  const owner = new Map<number, string>();
  const entries = [
    { label: 'bootstrap', port: listener.bootstrapNodePort, field: 'externalListener.bootstrapNodePort' },
    ...listener.brokers.map((b, i) => ({ label: `broker ${b.nodeId}`, port: b.nodePort, field: `externalListener.brokers[${i}].nodePort` })),
  ];
  listener.brokers.forEach((b, i) => {
    if (!brokerIds.includes(b.nodeId)) {
      problem(`externalListener.brokers[${i}].nodeId`, `broker ${b.nodeId} is not a node of the broker pool (brokers.nodeIds: [${brokerIds.join(', ')}])`);
    }
  });
  for (const e of entries) {
    if (!Number.isInteger(e.port) || e.port < NODE_PORT_RANGE[0] || e.port > NODE_PORT_RANGE[1]) {
      problem(e.field, `${e.label}: node port ${e.port} is outside ${NODE_PORT_RANGE[0]}-${NODE_PORT_RANGE[1]}`);
    } else if (owner.has(e.port)) {
      problem(e.field, `${e.label}: node port ${e.port} is also used by ${owner.get(e.port)}`);
    } else {
      owner.set(e.port, e.label);
    }
  }
  return problems;
}
