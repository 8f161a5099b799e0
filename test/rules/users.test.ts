import { checkUsers } from '../../constructs/rules';
import { environments, StreamUsersOptions } from '../../lib/environments';
import { withChanges } from '../helpers';

const dev = environments['usdfdev-prompt-processing'];
const prod = environments['usdfprod-prompt-processing'];
const withUsers = (env: typeof dev, users: Partial<StreamUsersOptions>) => withChanges(env, { users: { ...env.users, ...users } });

describe('users', () => {
  test.each(Object.values(environments))('$name passes', (env) => {
    expect(checkUsers(env)).toEqual([]);
  });

  test('fails when a community broker is also a service account (it would gain Write)', () => {
    const env = withUsers(prod, { writeOnly: [...prod.users.writeOnly, { username: 'fink-usdf', topics: ['lsst-alerts-v11'] }] });
    expect(checkUsers(env)).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'KafkaUser/fink-usdf',
      field: 'users.writeOnly[1].username',
      message: "user 'fink-usdf' is already defined by users.communityBrokers[4]; a user name is one principal with one set of rights",
    }]);
  });

  test('fails when a user is listed twice', () => {
    const env = withUsers(prod, { communityBrokers: [...prod.users.communityBrokers, 'alerce-usdf'] });
    expect(checkUsers(env)).toEqual([expect.objectContaining({ field: 'users.communityBrokers[9]' })]);
  });

  test('fails when a user takes the name of the super user or of the registry', () => {
    const env = withUsers(prod, { developers: ['kafka-admin', 'sasquatch-schema-registry'] });
    expect(checkUsers(env).map((p) => p.message)).toEqual([
      "user 'kafka-admin' is already defined by kafka.superUser; a user name is one principal with one set of rights",
      "user 'sasquatch-schema-registry' is already defined by kafka.name (schema registry user); a user name is one principal with one set of rights",
    ]);
  });

  test('fails when a user takes the name of the mTLS super user, when there is one', () => {
    const env = withChanges(withUsers(prod, { developers: ['kafka-admin-tls'] }), { kafka: { tlsSuperUser: 'kafka-admin-tls' } });
    expect(checkUsers(env).map((p) => p.message)).toEqual([
      "user 'kafka-admin-tls' is already defined by kafka.tlsSuperUser; a user name is one principal with one set of rights",
    ]);
    expect(checkUsers(withUsers(prod, { developers: ['kafka-admin-tls'] }))).toEqual([]);
  });

  test.each([['Fink-USDF'], ['fink_usdf'], ['-fink'], ['a'.repeat(65)]])('fails when the user name is %p', (name) => {
    const env = withUsers(prod, { communityBrokers: [name] });
    expect(checkUsers(env)).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: `KafkaUser/${name}`,
      field: 'users.communityBrokers[0]',
      message: `'${name}' is not a valid user name; use lowercase letters, digits, '.' and '-', at most 64 characters`,
    }]);
  });

  test('fails when a community topic is neither managed nor declared external', () => {
    const env = withUsers(prod, { communityReadonlyTopics: [...prod.users.communityReadonlyTopics, 'lsst-alerts-v12'] });
    expect(checkUsers(env)).toEqual([{
      env: 'usdfprod-prompt-processing',
      resource: 'KafkaUser/<every community broker>',
      field: 'users.communityReadonlyTopics[2]',
      message: "topic 'lsst-alerts-v12' is neither in topics nor in externalTopics; add it to topics (or to externalTopics if it exists and is managed elsewhere)",
    }]);
  });

  test("fails when dev's v10.0 topics are no longer declared external", () => {
    expect(checkUsers(withChanges(dev, { externalTopics: [] })).map((p) => p.field)).toEqual([
      'users.communityReadonlyTopics[1]',
      'users.communityReadonlyTopics[2]',
      'users.readWrite[0].topics[1]',
      'users.readWrite[0].topics[2]',
      'users.writeOnly[0].topics[1]',
      'users.writeOnly[0].topics[2]',
    ]);
  });

  test('fails when a service account topic does not exist', () => {
    const env = withUsers(prod, { writeOnly: [{ username: 'prompt-alert', topics: ['lsst-alerts-v99'] }] });
    expect(checkUsers(env)).toEqual([expect.objectContaining({ resource: 'KafkaUser/prompt-alert', field: 'users.writeOnly[0].topics[0]' })]);
  });

  test.each([['*'], ['lsst-*']])('fails when a service account or community topic is the wildcard %p', (topic) => {
    const message = "'*' grants every topic and is read-only: list the topics, or make the user a developer (read access to all topics)";
    expect(checkUsers(withUsers(prod, { writeOnly: [{ username: 'prompt-alert', topics: [topic] }] }))).toEqual([
      { env: 'usdfprod-prompt-processing', resource: 'KafkaUser/prompt-alert', field: 'users.writeOnly[0].topics[0]', message },
    ]);
    expect(checkUsers(withUsers(prod, { communityReadonlyTopics: [topic] }))).toEqual([
      { env: 'usdfprod-prompt-processing', resource: 'KafkaUser/<every community broker>', field: 'users.communityReadonlyTopics[0]', message },
    ]);
  });
});

describe('users: each list is named at its own field', () => {
  test('a developer and a read-write account that clash are reported at their fields; a one-letter name is valid', () => {
    const env = withUsers(prod, { developers: ['a', 'kafka-admin'], readWrite: [{ username: 'a', topics: ['lsst-alerts-v11'] }] });
    expect(checkUsers(env).map((p) => `${p.resource} ${p.field}`)).toEqual([
      'KafkaUser/kafka-admin users.developers[1]',
      'KafkaUser/a users.readWrite[0].username',
    ]);
  });

  test('a topic with a wildcard in a list of topics is refused', () => {
    const env = withUsers(prod, { readWrite: [{ username: 'rw', topics: ['lsst-*'] }] });
    expect(checkUsers(env).map((p) => p.field)).toEqual(['users.readWrite[0].topics[0]']);
  });
});
