import { Testing } from 'cdk8s';
import { VaultBackedSecret } from '../../constructs';
import { testChart } from '../helpers';

describe('VaultBackedSecret', () => {
  test('reads <prefix>/<name> and records who reads which key', () => {
    const chart = testChart();
    const secret = new VaultBackedSecret(chart, 'Secret', { vaultPathPrefix: 'secret/rubin/env/' });
    expect(secret.keyRef('b-password', 'KafkaUser/b')).toEqual({ secretName: 'sasquatch', key: 'b-password' });
    secret.keyRef('AWS_ACCESS_KEY_ID', 'Deployment/server');
    secret.keyRef('AWS_ACCESS_KEY_ID', 'Deployment/ingester');
    expect(secret.requiredKeys).toEqual([
      { key: 'AWS_ACCESS_KEY_ID', readBy: ['Deployment/ingester', 'Deployment/server'] },
      { key: 'b-password', readBy: ['KafkaUser/b'] },
    ]);
    expect(Testing.synth(chart)[0]).toEqual({
      apiVersion: 'ricoberger.de/v1alpha1',
      kind: 'VaultSecret',
      metadata: { name: 'sasquatch' },
      spec: { path: 'secret/rubin/env/sasquatch', type: 'Opaque' },
    });
  });
});
