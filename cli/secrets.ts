import { EnvironmentError } from '../constructs/rules';
import { vaultRequirements } from '../lib/secrets';
import { Io, knownEnvironmentNames, parseCommand } from './command';

const usage = (names: readonly string[]) => `Usage: npm run secrets -- --env <name> [--json]

Lists every key the environment needs in Vault and the objects that read it.

Environments: ${names.join(', ')}`;

/** Runs `secrets`; returns the exit code (0 ok, 1 environment problems, 2 usage). */
export function runSecrets(argv: readonly string[], io: Io): number {
  const parsed = parseCommand('secrets', argv, io, { env: { type: 'string' }, json: { type: 'boolean' } }, usage);
  if (typeof parsed === 'number') return parsed;
  const { values: args, registry, names } = parsed;
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
