import type { Environment } from '../constructs/alert-stream-props';

/** One benchmark case: an environment with this many topics and password users. */
export interface Scale {
  readonly label: string;
  readonly topics: number;
  readonly users: number;
}

const pad = (n: number) => String(n).padStart(5, '0');

/**
 * `base` grown to `topics` managed topics and `users` password users, the
 * extra ones community brokers that read the community topics (each user's
 * ACLs stay as small as in production). Everything else is `base`, so the
 * result passes the same rules and schemas.
 */
export function scaledEnvironment(base: Environment, scale: Scale): Environment {
  const extraTopics = Math.max(0, scale.topics - base.topics.length);
  const baseUsers = base.users.communityBrokers.length + base.users.developers.length + base.users.readWrite.length + base.users.writeOnly.length;
  const extraUsers = Math.max(0, scale.users - baseUsers);
  return {
    ...base,
    name: `bench-${scale.label}`,
    topics: [
      ...base.topics,
      ...Array.from({ length: extraTopics }, (_, i) => ({ name: `bench-topic-${pad(i)}`, partitions: 6, config: { 'retention.ms': 604800000 } })),
    ],
    users: {
      ...base.users,
      communityBrokers: [...base.users.communityBrokers, ...Array.from({ length: extraUsers }, (_, i) => `bench-broker-${pad(i)}`)],
    },
  };
}
