import { expandStreamUsers, StreamUsersOptions } from '../../constructs';

const users: StreamUsersOptions = {
  communityReadonlyTopics: ['a', 'b'],
  communityBrokers: ['broker-one'],
  developers: ['dev'],
  readWrite: [{ username: 'rw', topics: ['a', 'c'] }],
  writeOnly: [{ username: 'wo', topics: ['b'] }],
};

describe('expandStreamUsers', () => {
  test('renders developers, community brokers, read-write, then write-only accounts', () => {
    expect(expandStreamUsers(users).map((u) => [u.username, u.kind])).toEqual([
      ['dev', 'developer'],
      ['broker-one', 'community-broker'],
      ['rw', 'read-write'],
      ['wo', 'write-only'],
    ]);
  });

  test('community brokers and developers only ever read topics, and own only their own group prefix', () => {
    for (const user of expandStreamUsers(users).filter((u) => u.kind === 'community-broker' || u.kind === 'developer')) {
      for (const acl of user.acls) {
        if (acl.resource.type === 'topic') expect(acl.operations).toEqual(['Read', 'Describe', 'DescribeConfigs']);
        else expect(acl.resource).toEqual({ type: 'group', name: user.username, patternType: 'prefix' });
      }
    }
  });

  test('service accounts get literal topic ACLs with their operations and no group', () => {
    const [, , rw, wo] = expandStreamUsers(users);
    expect(rw.acls.map((a) => [a.resource.name, a.operations])).toEqual([['a', ['Read', 'Write', 'Describe']], ['c', ['Read', 'Write', 'Describe']]]);
    expect(wo.acls.map((a) => [a.resource.name, a.operations])).toEqual([['b', ['Write', 'Describe']]]);
  });
});
