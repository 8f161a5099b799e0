import type { Environment } from '../alert-stream-props';
import { schemaRegistryName } from '../schema-registry';
import { expandStreamUsers } from '../user-acls';
import type { Problem } from './problem';

/** A KafkaUser name: a lowercase DNS name, short enough for a certificate common name (64). */
const USERNAME = /^[a-z0-9]([a-z0-9.-]{0,62}[a-z0-9])?$/;

/**
 * KafkaUsers the constructs create themselves, with the field that names them. Without a TLS superuser its entry
 * names no one (undefined): every user's name is text (the shape rule), so none is taken for it.
 */
function componentUsers(env: Environment): Array<{ username: string | undefined; field: string }> {
  return [
    { username: env.kafka.superUser, field: 'kafka.superUser' },
    { username: env.kafka.tlsSuperUser, field: 'kafka.tlsSuperUser' },
    { username: schemaRegistryName(env.kafka.name), field: 'kafka.name (schema registry user)' },
  ];
}

/** Paths of the user lists, in the order `expandStreamUsers` renders them. */
function userFields(env: Environment): string[] {
  const u = env.users;
  return [
    ...u.developers.map((_, i) => `users.developers[${i}]`),
    ...u.communityBrokers.map((_, i) => `users.communityBrokers[${i}]`),
    ...u.readWrite.map((_, i) => `users.readWrite[${i}].username`),
    ...u.writeOnly.map((_, i) => `users.writeOnly[${i}].username`),
  ];
}

/**
 * Users: valid and unique names (one name is one principal: a community
 * broker listed again as a service account would gain Write); every topic an
 * ACL names is a managed topic or a declared external one; `*` is read-only,
 * for developers. (That community brokers and developers only ever read is
 * built into `expandStreamUsers`.)
 */
export function checkUsers(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const access = expandStreamUsers(env.users);
  const fields = userFields(env);
  // Stryker disable next-line ArrayDeclaration: only an ACL naming a topic called like Stryker's placeholder could tell
  const externalTopics = env.externalTopics ?? [];
  const known = new Set([...env.topics.map((t) => t.name), ...externalTopics]);
  const owner = new Map(componentUsers(env).map((u) => [u.username, u.field]));

  access.forEach((user, i) => {
    const field = fields[i];
    const problem = (f: string, message: string) =>
      problems.push({ env: env.name, resource: `KafkaUser/${user.username}`, field: f, message });
    if (!USERNAME.test(user.username)) {
      problem(field, `'${user.username}' is not a valid user name; use lowercase letters, digits, '.' and '-', at most 64 characters`);
    }
    const first = owner.get(user.username);
    if (first !== undefined) {
      problem(field, `user '${user.username}' is already defined by ${first}; a user name is one principal with one set of rights`);
    } else {
      owner.set(user.username, field);
    }
  });

  const topicLists = [
    { field: 'users.communityReadonlyTopics', resource: 'KafkaUser/<every community broker>', topics: env.users.communityReadonlyTopics },
    ...(['readWrite', 'writeOnly'] as const).flatMap((list) => env.users[list].map((account, i) => ({
      field: `users.${list}[${i}].topics`, resource: `KafkaUser/${account.username}`, topics: account.topics,
    }))),
  ];
  for (const { field, resource, topics } of topicLists) {
    topics.forEach((topic, i) => {
      if (topic.includes('*')) {
        problems.push({ env: env.name, resource, field: `${field}[${i}]`,
          message: "'*' grants every topic and is read-only: list the topics, or make the user a developer (read access to all topics)" });
      } else if (!known.has(topic)) {
        problems.push({ env: env.name, resource, field: `${field}[${i}]`,
          message: `topic '${topic}' is neither in topics nor in externalTopics; add it to topics (or to externalTopics if it exists and is managed elsewhere)` });
      }
    });
  }
  return problems;
}

