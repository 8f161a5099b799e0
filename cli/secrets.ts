import * as fs from 'node:fs';
import * as path from 'node:path';
import vault from 'node-vault';
import { EnvironmentError } from '../constructs/rules';
import { vaultRequirements, VaultRequirements } from '../lib/secrets';
import { checkVaultKeys, VaultCheckError } from '../lib/vault-check';
import { DeadlineError, DEFAULT_TIMEOUT_SECONDS, parseTimeout, withDeadline } from '../lib/deadline';
import { printable } from '../lib/printable';
import { Io, knownEnvironmentNames, parseCommand } from './command';

const usage = (names: readonly string[]) => `Usage: npm run secrets -- --env <name> [--json] [--check [--timeout <seconds>]]

Lists every key the environment needs in Vault and the objects that read it.
With --check, asks Vault (VAULT_ADDR, with your token: VAULT_TOKEN or ~/.vault-token)
which of them exist, by name only, and lists the missing ones.
  --timeout <s>  how long to wait for Vault (default ${DEFAULT_TIMEOUT_SECONDS})
Exit code: 0 all present, 1 keys missing (or the environment is broken),
2 the check could not run (usage, Vault unreachable, refused or answering oddly).

Environments: ${names.join(', ')}`;

/** Runs `secrets`; returns the exit code (0 ok, 1 environment problems or missing keys, 2 usage). */
export function runSecrets(argv: readonly string[], io: Io): number | Promise<number> {
  const parsed = parseCommand('secrets', argv, io, { env: { type: 'string' }, json: { type: 'boolean' }, check: { type: 'boolean' }, timeout: { type: 'string' } }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
  const timeout = parseTimeout(args.timeout);
  if ('error' in timeout) {
    io.stderr(`secrets: ${timeout.error}\n`);
    return 2;
  }
  if (!args.env) {
    io.stderr(`secrets: --env is required\n\n${usage(names)}\n`);
    return 2;
  }
  if (!knownEnvironmentNames('secrets', [args.env], registry, io)) return 2;
  let requirements;
  try {
    requirements = vaultRequirements(registry[args.env]);
  } catch (error) {
    io.stderr(`secrets: ${error instanceof EnvironmentError ? error.message : (error as Error).message}\n`);
    return 1;
  }
  if (args.check) return checkInVault(requirements, io, args.json ?? false, timeout.ms);
  if (args.json) {
    io.stdout(`${JSON.stringify(requirements, null, 2)}\n`);
    return 0;
  }
  for (const r of requirements) {
    const width = Math.max(...r.keys.map((k) => k.key.length), 3);
    if (r.vaultPath) {
      io.stdout(`${r.env}: ${r.keys.length} keys in Vault at ${r.vaultPath}\n`);
      io.stdout(`(VaultSecret ${r.secretName} writes them to Secret ${r.secretName})\n\n`);
    } else {
      io.stdout(`${r.env}: ${r.keys.length} keys in Secret ${r.secretName}, created by hand (no Vault in this environment):\n`);
      io.stdout(`  kubectl create secret generic ${r.secretName} --namespace ${r.namespace} ${r.keys.map((k) => `--from-literal=${k.key}=...`).join(' ')}\n\n`);
    }
    io.stdout(`  ${'KEY'.padEnd(width)}  READ BY\n`);
    for (const k of r.keys) io.stdout(`  ${k.key.padEnd(width)}  ${k.readBy.join(', ')}\n`);
  }
  return 0;
}

/** The user's Vault token: `VAULT_TOKEN`, else the file the vault CLI's login writes. */
function vaultToken(env: Readonly<Record<string, string | undefined>>): string | undefined {
  if (env.VAULT_TOKEN) return env.VAULT_TOKEN;
  if (!env.HOME) return undefined;
  try {
    return fs.readFileSync(path.join(env.HOME, '.vault-token'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** `--check`: which needed keys Vault lacks (names only; values are never printed or kept). */
async function checkInVault(requirements: readonly VaultRequirements[], io: Io, json: boolean, timeoutMs: number): Promise<number> {
  const byHand = requirements.find((r) => !r.vaultPath);
  if (byHand) {
    io.stderr(`secrets: ${byHand.env} has no Vault: Secret ${byHand.secretName} is created by hand, so there is nothing to check\n`);
    return 2;
  }
  const env = io.env ?? process.env;
  const endpoint = env.VAULT_ADDR;
  const token = vaultToken(env);
  if (!endpoint || !token) {
    io.stderr(`secrets: --check needs ${!endpoint ? 'VAULT_ADDR (the Vault server, e.g. https://vault.example.org)' : 'a Vault token (VAULT_TOKEN, or log in with `vault login` to write ~/.vault-token)'}\n`);
    return 2;
  }
  // GET ?list=1 instead of the LIST verb: Vault takes both, and proxies (and Node's HTTP parser) only know GET.
  // Each request is bounded (the client's socket timeout), and so is the whole check (the deadline).
  const where = printable(endpoint, 100);
  const seconds = timeoutMs / 1000;
  const tooSlow = `Vault at ${where} did not answer within ${seconds} s (--timeout ${seconds}); nothing could be checked`;
  let checks;
  try {
    const client = vault({ apiVersion: 'v1', endpoint, token, noCustomHTTPVerbs: true, requestOptions: { timeout: timeoutMs } });
    checks = await withDeadline(Promise.all(requirements.map((r) => checkVaultKeys(r, client))), timeoutMs, tooSlow);
  } catch (error) {
    // Exit 2: the check could not run. Exit 1 is kept for keys that are really missing.
    const code = (error as { code?: string }).code;
    const why = error instanceof VaultCheckError || error instanceof DeadlineError ? error.message
      : code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? tooSlow
        : `cannot reach Vault at ${where}: ${printable(code ?? (error as Error).message, 120)}`;
    io.stderr(`secrets: ${why}\n`);
    return 2;
  }
  if (json) {
    io.stdout(`${JSON.stringify(checks, null, 2)}\n`);
  } else {
    for (const c of checks) {
      const needed = requirements.find((r) => r.env === c.env)!.keys.length;
      if (c.missing.length === 0) {
        io.stdout(`${c.env}: all ${needed} keys present in Vault at ${c.vaultPath}\n`);
      } else {
        io.stdout(`${c.env}: ${c.missing.length} of ${needed} keys missing in Vault at ${c.vaultPath}${c.absent ? ` (${c.absent})` : ''}\n`);
        const width = Math.max(...c.missing.map((k) => k.key.length), 3);
        io.stdout(`  ${'KEY'.padEnd(width)}  READ BY\n`);
        for (const k of c.missing) io.stdout(`  ${k.key.padEnd(width)}  ${k.readBy.join(', ')}\n`);
      }
      if (c.unread.length > 0) io.stdout(`  in Vault but read by nothing here: ${c.unread.join(', ')}\n`);
    }
  }
  return checks.some((c) => c.missing.length > 0) ? 1 : 0;
}
