import type { AclOperation, AclRule } from './kafka-user';
import type { ObjectName, TopicName } from './types';

/** Operations that read a topic and nothing more. */
export const READ_ONLY_TOPIC_OPERATIONS: readonly AclOperation[] = ['Read', 'Describe', 'DescribeConfigs'];
const READ_WRITE_OPERATIONS: readonly AclOperation[] = ['Read', 'Write', 'Describe'];
const WRITE_ONLY_OPERATIONS: readonly AclOperation[] = ['Write', 'Describe'];

/** A service account that produces to (and perhaps reads) a fixed list of topics. */
export interface ServiceAccountOptions {
  readonly username: ObjectName;
  /** Topics it may use; literal names, `*` is not allowed (read access to all topics is for developers only). */
  readonly topics: readonly TopicName[];
}

/**
 * Everyone who connects with a password (SCRAM-SHA-512), by what they may do.
 * Adding or removing a user, or a community topic, is one line.
 */
export interface StreamUsersOptions {
  /** Topics every community broker may read (Phalanx `communityReadonlyTopics`). */
  readonly communityReadonlyTopics: readonly TopicName[];
  /** Community brokers: read the community topics, own the consumer groups prefixed with their name. */
  readonly communityBrokers: readonly ObjectName[];
  /** Rubin developers: read every topic, own the consumer groups prefixed with their name. */
  readonly developers: readonly ObjectName[];
  /** Service accounts that read and write their topics. */
  readonly readWrite: readonly ServiceAccountOptions[];
  /** Service accounts that only write their topics (alert producers). */
  readonly writeOnly: readonly ServiceAccountOptions[];
}

/** What kind of user an account is. */
export type StreamUserKind = 'community-broker' | 'developer' | 'read-write' | 'write-only';

/** One password user with the ACLs it gets. */
export interface StreamUserAccess {
  readonly username: string;
  readonly kind: StreamUserKind;
  readonly acls: readonly AclRule[];
}

const topicAcl = (name: string, operations: readonly AclOperation[]): AclRule =>
  ({ resource: { type: 'topic', name, patternType: 'literal' }, operations, host: '*' });
const ownGroupsAcl = (username: string): AclRule =>
  ({ resource: { type: 'group', name: username, patternType: 'prefix' }, operations: ['All'], host: '*' });

/**
 * Expands the users into their ACLs, in the order they are rendered:
 * developers, community brokers, read-write, then write-only accounts.
 * Community brokers and developers only ever get read operations on topics.
 */
export function expandStreamUsers(users: StreamUsersOptions): StreamUserAccess[] {
  return [
    ...users.developers.map((username) => ({
      username,
      kind: 'developer' as const,
      acls: [topicAcl('*', READ_ONLY_TOPIC_OPERATIONS), ownGroupsAcl(username)],
    })),
    ...users.communityBrokers.map((username) => ({
      username,
      kind: 'community-broker' as const,
      acls: [...users.communityReadonlyTopics.map((t) => topicAcl(t, READ_ONLY_TOPIC_OPERATIONS)), ownGroupsAcl(username)],
    })),
    ...users.readWrite.map((account) => ({
      username: account.username,
      kind: 'read-write' as const,
      acls: account.topics.map((t) => topicAcl(t, READ_WRITE_OPERATIONS)),
    })),
    ...users.writeOnly.map((account) => ({
      username: account.username,
      kind: 'write-only' as const,
      acls: account.topics.map((t) => topicAcl(t, WRITE_ONLY_OPERATIONS)),
    })),
  ];
}
