import type { Environment } from '../alert-stream-props';
import type { Problem } from './problem';

/** A DNS label (RFC 1123): what Kubernetes allows for namespaces, and what makes a safe folder name. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The environment's own names are DNS labels: its name (also a folder under
 * dist/), its namespace, and the Kafka cluster's name (Strimzi derives
 * Service and pod names from it).
 */
export function checkNames(env: Environment): Problem[] {
  const names: Array<[string, string, string]> = [
    ['name', env.name, 'Environment'],
    ['namespace', env.namespace, `Namespace/${env.namespace}`],
    ['kafka.name', env.kafka.name, `Kafka/${env.kafka.name}`],
  ];
  return names
    .filter(([, value]) => !DNS_LABEL.test(value))
    .map(([field, value, resource]) => ({
      env: env.name,
      resource,
      field,
      message: `'${value}' is not a DNS label; use lowercase letters, digits and '-', at most 63 characters`,
    }));
}
