import { runSecrets } from '../../cli/secrets';
import { environments } from '../../lib/environments';
import { vaultRequirements } from '../../lib/secrets';
import { runCommandAsync } from '../helpers';
import { startVaultKv2StandIn, StandInSecret, VaultKv2StandIn } from './vault-kv2-stand-in';

const PROD = 'usdfprod-prompt-processing';
const PATH = 'rubin/usdf-prompt-processing/sasquatch';
const TOKEN = 's.test-token';
const needed = vaultRequirements(environments[PROD])[0].keys.map((k) => k.key);
/** A value no output may ever contain. */
const valueOf = (key: string) => `VALUE-OF-${key}-never-printed`;
const secretWith = (keys: readonly string[], extra: Record<string, string> = {}): StandInSecret =>
  ({ data: { ...Object.fromEntries(keys.map((k) => [k, valueOf(k)])), ...extra } });

let vault: VaultKv2StandIn | undefined;
afterEach(async () => {
  await vault?.close();
  vault = undefined;
});

const check = async (secrets: Record<string, StandInSecret>, extraArgs: string[] = [], env: Record<string, string> = {}) => {
  vault = await startVaultKv2StandIn('secret', secrets, TOKEN);
  return runCommandAsync(runSecrets, ['--env', PROD, '--check', ...extraArgs], { env: { VAULT_ADDR: vault.address, VAULT_TOKEN: TOKEN, ...env } });
};

const noValues = (text: string) => expect(text).not.toMatch(/VALUE-OF-|s3cr3t/);

describe('npm run secrets -- --check', () => {
  test('lists the missing keys with their readers and exits 1; never a value', async () => {
    const present = needed.filter((k) => k !== 'kafka-admin-password' && k !== 'prompt-alert-password');
    const result = await check({ [PATH]: secretWith(present, { 'old-broker-password': 's3cr3t' }) });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe([
      `${PROD}: 2 of ${needed.length} keys missing in Vault at secret/${PATH}`,
      '  KEY                    READ BY',
      '  kafka-admin-password   KafkaUser/kafka-admin',
      '  prompt-alert-password  KafkaUser/prompt-alert',
      '  in Vault but read by nothing here: old-broker-password',
      '',
    ].join('\n'));
    noValues(result.stdout + result.stderr);
    // KV v2: the metadata says the secret is live; one read gives the key names.
    expect(vault!.requests).toEqual([`GET /v1/secret/metadata/${PATH}`, `GET /v1/secret/data/${PATH}`]);
  });

  test('exits 0 when every key is there', async () => {
    const result = await check({ [PATH]: secretWith(needed) });
    expect(result).toEqual({ code: 0, stdout: `${PROD}: all ${needed.length} keys present in Vault at secret/${PATH}\n`, stderr: '' });
  });

  test('--json gives the same by name only', async () => {
    const result = await check({ [PATH]: secretWith(needed.slice(1)) }, ['--json']);
    expect(result.code).toBe(1);
    const [c] = JSON.parse(result.stdout);
    expect(c.missing.map((k: { key: string }) => k.key)).toEqual([needed[0]]);
    noValues(result.stdout);
  });

  test('a missing secret: every key is missing, and what the parent path holds is named', async () => {
    const result = await check({ 'rubin/usdf-prompt-processing/other': secretWith(['x']) });
    expect(result.code).toBe(1);
    expect(result.stdout.split('\n')[0]).toBe(`${PROD}: ${needed.length} of ${needed.length} keys missing in Vault at secret/${PATH} ` +
      `(no secret at secret/${PATH} (secret/rubin/usdf-prompt-processing holds: other))`);
    expect(vault!.requests).toEqual([`GET /v1/secret/metadata/${PATH}`, 'LIST /v1/secret/metadata/rubin/usdf-prompt-processing']);
    // Listed with GET ?list=1, which Vault takes like its LIST verb.
  });

  test('a deleted current version counts as missing', async () => {
    const result = await check({ [PATH]: { ...secretWith(needed), deleted: true } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`(the current version (1) of secret/${PATH} is deleted)`);
    noValues(result.stdout);
  });

  test('a refused token is one line naming the path, exit 1', async () => {
    const result = await check({ [PATH]: secretWith(needed) }, [], { VAULT_TOKEN: 's.wrong' });
    expect(result).toEqual({
      code: 1, stdout: '',
      stderr: `secrets: Vault refused to read the metadata of secret/metadata/${PATH}: permission denied (403): check the token and its policy\n`,
    });
  });

  test('an unreachable Vault is one line, exit 1', async () => {
    vault = await startVaultKv2StandIn('secret', {}, TOKEN);
    const address = vault.address;
    await vault.close();
    vault = undefined;
    const result = await runCommandAsync(runSecrets, ['--env', PROD, '--check'], { env: { VAULT_ADDR: address, VAULT_TOKEN: TOKEN } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^secrets: cannot reach Vault at ${address}: .+\\n$`));
  });

  test('needs VAULT_ADDR and a token; an environment without Vault has nothing to check', async () => {
    expect(await runCommandAsync(runSecrets, ['--env', PROD, '--check'], { env: { VAULT_TOKEN: TOKEN } })).toMatchObject({
      code: 2, stderr: expect.stringMatching(/^secrets: --check needs VAULT_ADDR/),
    });
    expect(await runCommandAsync(runSecrets, ['--env', PROD, '--check'], { env: { VAULT_ADDR: 'http://127.0.0.1:1', HOME: '/nonexistent' } })).toMatchObject({
      code: 2, stderr: expect.stringMatching(/^secrets: --check needs a Vault token/),
    });
    expect(await runCommandAsync(runSecrets, ['--env', 'local-bootstrap', '--check'], { env: { VAULT_ADDR: 'http://127.0.0.1:1', VAULT_TOKEN: TOKEN } })).toEqual({
      code: 2, stdout: '',
      stderr: 'secrets: local-bootstrap has no Vault: Secret sasquatch is created by hand, so there is nothing to check\n',
    });
  });
});
