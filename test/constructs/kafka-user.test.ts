import { Testing } from 'cdk8s';
import { KafkaUserAccount } from '../../constructs';
import { testChart } from '../helpers';

describe('KafkaUserAccount', () => {
  test('a password user reads its password from a Secret and is its own principal', () => {
    const chart = testChart();
    const user = new KafkaUserAccount(chart, 'User', {
      clusterName: 'sasquatch',
      username: 'fink-usdf',
      authentication: { type: 'scram-sha-512', password: { secretName: 'sasquatch', key: 'fink-usdf-password' } },
      acls: [{ resource: { type: 'group', name: 'fink-usdf', patternType: 'prefix' }, operations: ['All'] }],
    });
    const [object] = Testing.synth(chart);
    expect(user.principal).toBe('fink-usdf');
    expect(object.spec.authentication).toEqual({
      type: 'scram-sha-512',
      password: { valueFrom: { secretKeyRef: { name: 'sasquatch', key: 'fink-usdf-password' } } },
    });
    expect(object.spec.authorization.acls).toEqual([
      { type: 'allow', resource: { type: 'group', name: 'fink-usdf', patternType: 'prefix' }, operations: ['All'] },
    ]);
  });

  test('acls returns a copy', () => {
    const user = new KafkaUserAccount(testChart(), 'User', { clusterName: 'c', username: 'u', authentication: { type: 'tls' } });
    user.acls.push({ resource: { type: 'cluster' }, operations: ['All'] });
    expect(user.acls).toEqual([]);
  });
});
