/**
 * Who may do what on the alert stream, written from the operator's manual (../shared/reference/
 * DMTN-214-operators-manual.txt: "Granting users read-only access to a new topic", "Adding a new user",
 * "Retrieving Kafka superuser credentials", the alert archive ingester and Kafbat sections) and the
 * environment's own lists of who is who: never from the KafkaUsers' ACLs, which are what is being checked.
 *
 *   account                        | reads topics           | writes topics   | describes topics      | consumer groups it uses (describes)
 *   -------------------------------|------------------------|-----------------|-----------------------|--------------------------------------
 *   community broker               | communityReadonlyTopics| none            | those it reads        | its own: named <user>… (the same)
 *   Rubin developer                | every topic            | none            | every topic           | its own: named <user>… (the same)
 *   read-write service account     | its topics             | its topics      | its topics            | none
 *   write-only producer            | none                   | its topics      | its topics            | none
 *   (prompt processing)            |                        |                 |                       |
 *   alert database ingester        | the ingester's topic   | none            | the ingester's topic  | alertdb-ingester (the same)
 *   Kafbat (the web console)       | topics under its       | none            | the topics it reads   | none (every group: it shows them)
 *                                  | prefixes               |                 |                       |
 *   the schema registry            | registry-schemas       | registry-schemas| registry-schemas      | its own: schema-registry… (the same)
 *   kafka-admin (super user)       | everything             | everything      | everything            | every group (every group)
 *   no credentials, a wrong password or a certificate of another CA: refused before any of this.
 */
import type { Environment } from '../../lib/environments';

export type TopicOperation = 'Read' | 'Write' | 'Describe';
export type GroupOperation = 'Read' | 'Describe';
export const TOPIC_OPERATIONS: readonly TopicOperation[] = ['Read', 'Write', 'Describe'];
export const GROUP_OPERATIONS: readonly GroupOperation[] = ['Read', 'Describe'];

type TopicSet = (topic: string) => boolean;
const none: TopicSet = () => false;
const every: TopicSet = () => true;
const among = (names: readonly string[]): TopicSet => (topic) => names.includes(topic);
const prefixedBy = (prefixes: readonly string[]): TopicSet => (name) => prefixes.some((p) => name.startsWith(p));

/** One row of the table above. */
export interface Role {
  readonly kind: string;
  readonly reads: TopicSet;
  readonly writes: TopicSet;
  readonly describes: TopicSet;
  /** Groups it may use as a consumer (Read on the group). */
  readonly usesGroup: TopicSet;
  readonly describesGroup: TopicSet;
}

/** The role of every account the environment has, by the name of its KafkaUser. */
export function roles(env: Environment): Map<string, Role> {
  const table = new Map<string, Role>();
  const ownGroups = (user: string): TopicSet => (group) => group.startsWith(user);
  for (const user of env.users.communityBrokers) {
    const topics = among(env.users.communityReadonlyTopics);
    table.set(user, { kind: 'community broker', reads: topics, writes: none, describes: topics, usesGroup: ownGroups(user), describesGroup: ownGroups(user) });
  }
  for (const user of env.users.developers) {
    table.set(user, { kind: 'developer', reads: every, writes: none, describes: every, usesGroup: ownGroups(user), describesGroup: ownGroups(user) });
  }
  for (const { username, topics } of env.users.readWrite) {
    table.set(username, { kind: 'read-write service', reads: among(topics), writes: among(topics), describes: among(topics), usesGroup: none, describesGroup: none });
  }
  for (const { username, topics } of env.users.writeOnly) {
    table.set(username, { kind: 'write-only producer', reads: none, writes: among(topics), describes: among(topics), usesGroup: none, describesGroup: none });
  }
  if (env.alertDatabase) {
    const topic = among([env.alertDatabase.ingester.topic]);
    const group = among(['alertdb-ingester']);
    table.set('alert-database-ingester', { kind: 'alert database ingester', reads: topic, writes: none, describes: topic, usesGroup: group, describesGroup: group });
  }
  if (env.kafbat) {
    const topics = prefixedBy(env.kafbat.topicPrefixes);
    table.set('kafbat', { kind: 'Kafbat', reads: topics, writes: none, describes: topics, usesGroup: none, describesGroup: every });
  }
  if (env.schemaRegistry) {
    const topic = among(['registry-schemas']);
    const group = (g: string) => g.startsWith('schema-registry');
    table.set(`${env.kafka.name}-schema-registry`, { kind: 'schema registry', reads: topic, writes: topic, describes: topic, usesGroup: group, describesGroup: group });
  }
  table.set(env.kafka.superUser, { kind: 'super user', reads: every, writes: every, describes: every, usesGroup: every, describesGroup: every });
  return table;
}

/** What the role allows: true when the manual grants the operation. */
export function expectedTopic(role: Role, topic: string, operation: TopicOperation): boolean {
  return operation === 'Read' ? role.reads(topic) : operation === 'Write' ? role.writes(topic) : role.describes(topic);
}

export function expectedGroup(role: Role, group: string, operation: GroupOperation): boolean {
  return operation === 'Read' ? role.usesGroup(group) : role.describesGroup(group);
}

/**
 * The consumer groups the matrix tries: each account's own (its name, suffixed, as a broker would name one),
 * the ingester's, the registry's, and one nobody owns.
 */
export function candidateGroups(env: Environment): string[] {
  return [
    ...env.users.communityBrokers.map((u) => `${u}-dataplane`),
    ...env.users.developers.map((u) => `${u}-dataplane`),
    'alertdb-ingester',
    'schema-registry-dataplane',
    'nobodys-group',
  ];
}
