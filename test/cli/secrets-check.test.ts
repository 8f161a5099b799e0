import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
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

  test('a refused token is one line naming the path, exit 2: the check could not run', async () => {
    const result = await check({ [PATH]: secretWith(needed) }, [], { VAULT_TOKEN: 's.wrong' });
    expect(result).toEqual({
      code: 2, stdout: '',
      stderr: `secrets: Vault refused to read the metadata of secret/metadata/${PATH}: permission denied (403): check the token and its policy\n`,
    });
  });

  test('an unreachable Vault is one line, exit 2', async () => {
    vault = await startVaultKv2StandIn('secret', {}, TOKEN);
    const address = vault.address;
    await vault.close();
    vault = undefined;
    const result = await runCommandAsync(runSecrets, ['--env', PROD, '--check'], { env: { VAULT_ADDR: address, VAULT_TOKEN: TOKEN } });
    expect(result.code).toBe(2);
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

describe('secrets --check and a Vault that does not answer as the API promises', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });
  /** A server on 127.0.0.1 answering every request with `answer` (test code, no Vault runs here). */
  const serve = async (answer: (res: http.ServerResponse) => void) => {
    server = http.createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const checkAt = (address: string, extra: string[] = []) =>
    runCommandAsync(runSecrets, ['--env', PROD, '--check', ...extra], { env: { VAULT_ADDR: address, VAULT_TOKEN: TOKEN } });
  const reply = (status: number, type: string, body: string) => (res: http.ServerResponse) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };

  test('a server that never answers: one line naming the address and the timeout, exit 2, in about the timeout', async () => {
    const address = await serve(() => undefined);
    const started = Date.now();
    const result = await checkAt(address, ['--timeout', '0.5']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `secrets: Vault at ${address} did not answer within 0.5 s (--timeout 0.5); nothing could be checked\n` });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a server that sends headers and then nothing is bounded too', async () => {
    const address = await serve((res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.write('{"data":'); });
    const result = await checkAt(address, ['--timeout', '0.5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`secrets: Vault at ${address} did not answer within 0.5 s (--timeout 0.5); nothing could be checked\n`);
  });

  test.each([
    ['an HTML page with 200', reply(200, 'text/html', '<html><body>Sign in</body></html>'), /is not a KV v2 answer \(got text \(<html><body>Sign in/],
    ['invalid JSON with 200', reply(200, 'application/json', '{"data": {'), /is not a KV v2 answer \(got text/],
    ['JSON without data', reply(200, 'application/json', '{"ok": true}'), /is not a KV v2 answer \(got JSON without a data object\)/],
    ['an empty 200', reply(200, 'application/json', ''), /is not a KV v2 answer/],
    ['a JSON list', reply(200, 'application/json', '[1, 2]'), /is not a KV v2 answer \(got \[1,2\]\)/],
  ])('%s is "could not check", exit 2, never "keys missing"', async (_what, answer, message) => {
    const result = await checkAt(await serve(answer));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^secrets: could not check: /);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('metadata that is fine and a data answer without data.data is "could not check" too', async () => {
    const address = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(res.req.url?.includes('/metadata/') ? JSON.stringify({ data: { current_version: 1, versions: { 1: { deletion_time: '', destroyed: false } } } }) : '{"data": {"data": "x"}}');
    });
    const result = await checkAt(address);
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^secrets: could not check: .*has no data\.data object/) });
  });

  test("control bytes in the server's error message are escaped", async () => {
    const result = await checkAt(await serve(reply(500, 'application/json', JSON.stringify({ errors: ['\u001b[2J\u001b]0;owned\u0007boom\nsecond line'] }))));
    expect(result.code).toBe(2);
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(result.stderr).toContain('\\u001b[2J');
    expect(result.stderr).not.toContain('second line');
  });

  test('--timeout must be a positive number of seconds', async () => {
    for (const bad of ['0', '-1', 'soon', '1e9', '']) {
      expect(await runCommandAsync(runSecrets, ['--env', PROD, '--check', `--timeout=${bad}`], {})).toMatchObject({ code: 2, stderr: expect.stringMatching(/^secrets: --timeout takes seconds/) });
    }
  });
});
