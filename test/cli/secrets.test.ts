import { runSecrets } from '../../cli/secrets';
import { environments } from '../../lib/environments';
import type { Io } from '../../cli/command';
import { runCommand, withChanges } from '../helpers';

/** `secrets` without --check answers at once. */
const runSync = (argv: readonly string[], io: Io) => {
  const code = runSecrets(argv, io);
  if (typeof code !== 'number') throw new Error('secrets without --check returned a promise');
  return code;
};
const run = (argv: string[], environments?: Record<string, any>) => runCommand(runSync, argv, { environments });

const communityBrokers = ['alerce-usdf', 'ampel-usdf', 'antares-usdf', 'babamul-usdf', 'fink-usdf', 'lasair-usdf', 'pittgoogle-usdf', 'poi-usdf', 'snaps-usdf'];

describe('npm run secrets', () => {
  test.each([
    ['usdfdev-prompt-processing', 'secret/rubin/usdf-prompt-processing-dev/sasquatch', ['kafka-admin', 'rubin-devel-idfint', ...communityBrokers, 'alert-test', 'prompt-alert']],
    ['usdfprod-prompt-processing', 'secret/rubin/usdf-prompt-processing/sasquatch', ['kafka-admin', 'rubin-devel-idfint', ...communityBrokers, 'prompt-alert']],
  ])('%s: every password key and the user that reads it', (env, vaultPath, users) => {
    const result = run(['--env', env, '--json']);
    expect(result.code).toBe(0);
    const [requirement] = JSON.parse(result.stdout);
    expect(requirement.vaultPath).toBe(vaultPath);
    expect(requirement.secretName).toBe('sasquatch');
    expect(requirement.keys).toEqual(expect.arrayContaining(users.map((u) => ({ key: `${u}-password`, readBy: [`KafkaUser/${u}`] }))));
    expect(requirement.keys.filter((k: any) => k.key.endsWith('-password'))).toHaveLength(users.length);
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
      expect(requirement.keys).toContainEqual({ key, readBy: ['Deployment/alert-database-ingester-1.0.0', 'Deployment/alert-database-server-1.0.0'] });
    }
    expect(requirement.keys).toHaveLength(users.length + 2);
  });

  test('prints a table by default', () => {
    const result = run(['--env', 'usdfprod-prompt-processing']);
    expect(result.stdout).toMatch(/^usdfprod-prompt-processing: \d+ keys in Vault at secret\/rubin\/usdf-prompt-processing\/sasquatch\n/);
    expect(result.stdout).toMatch(/^ {2}prompt-alert-password +KafkaUser\/prompt-alert$/m);
    // The manual's super user: its password is in Vault like every other password user's.
    expect(result.stdout).toMatch(/^ {2}kafka-admin-password +KafkaUser\/kafka-admin$/m);
  });

  test('fails without --env, or with an unknown one', () => {
    expect(run([])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^secrets: --env is required/) });
    expect(run(['--env', 'prod'])).toMatchObject({
      code: 2,
      stderr: `secrets: unknown environment 'prod'; known environments: ${Object.keys(environments).join(', ')}\n`,
    });
  });

  test('fails with the rule problems of a broken environment', () => {
    const broken = withChanges(environments['usdfprod-prompt-processing'], { users: { developers: ['Dev'] } });
    const result = run(['--env', 'x'], { x: broken });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("usdfprod-prompt-processing: Environment users.developers[0]: 'Dev' is not a Kubernetes object name");
  });
});
